package dev.qflux.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@link AdminConfig} from a conf directory. Public on its own because the verbs that talk
 * to a running daemon ({@code qflux stop}, {@code reload}...) need only this part, and must work
 * while another control file is broken.
 */
public final class AdminConfigLoader {
    /** SMTP's 2525 plus one: the shipped conf listens for SMTP on 127.0.0.1:2525. */
    public static final int DEFAULT_PORT = 2526;
    /** Long enough for a slow client to finish DATA; short of systemd's 90 s TimeoutStopSec. */
    static final long DEFAULT_DRAIN_SECONDS = 30;
    /** What a load balancer and an orchestrator probe; nothing else is open by default. */
    static final Set<String> DEFAULT_OPEN = Set.of("/health", "/ready");
    /** Paths that may be opened; every other one always needs the token. */
    static final Set<String> OPENABLE = Set.of("/health", "/ready", "/metrics");
    static final String TOKEN_FILE = "admin.token";

    /** A health check runs every few seconds; a minute of grace covers any sane interval. */
    static final int MAX_STOP_GRACE_SECONDS = 60;

    private AdminConfigLoader() {
    }

    /** Reads control/adminlisten, control/adminopen, control/draintimeout and control/stopgrace. */
    public static AdminConfig load(Path confDir) throws ConfigException {
        ControlReader control = new ControlReader(confDir.resolve("control"));
        return new AdminConfig(listen(control), openPaths(control),
                Duration.ofSeconds(control.number("draintimeout", DEFAULT_DRAIN_SECONDS, 0, 86_400)),
                confDir.resolve(TOKEN_FILE),
                Duration.ofSeconds(control.number("stopgrace", 0, 0, MAX_STOP_GRACE_SECONDS)));
    }

    private static InetSocketAddress listen(ControlReader control) throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(control.file("adminlisten"));
        if (found.isEmpty()) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT);
        }
        ControlLine line = found.get();
        String text = line.content().strip();
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw line.error("expected address:port, e.g. 127.0.0.1:" + DEFAULT_PORT + ": "
                    + ControlLine.quote(text));
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String digits = text.substring(colon + 1);
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)
                || Integer.parseInt(digits) > 65535) {
            throw line.error("not a port: " + ControlLine.quote(digits));
        }
        if (!host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw line.error("expected an IP address, not a name: " + ControlLine.quote(host));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(digits));
        } catch (UnknownHostException e) {
            throw line.error("not an IP address: " + ControlLine.quote(host));
        }
    }

    private static Set<String> openPaths(ControlReader control) throws ConfigException {
        Optional<List<ControlLine>> lines = ControlFiles.entries(control.file("adminopen"));
        if (lines.isEmpty()) {
            return DEFAULT_OPEN;
        }
        Set<String> open = new LinkedHashSet<>();
        for (ControlLine line : lines.get()) {
            String path = line.content().strip();
            if (!OPENABLE.contains(path)) {
                throw line.error("only /health, /ready and /metrics may be served without the token: "
                        + ControlLine.quote(path));
            }
            open.add(path);
        }
        return Set.copyOf(open);
    }
}
