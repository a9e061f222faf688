package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a qmail-style conf directory for one qflux process: {@code conf/control/*} files and
 * {@code conf/tcp.smtp}, with the queue in a directory of the test's choosing. Deliveries are held
 * ({@code concurrencylocal} and {@code concurrencyremote} 0, qmail's way to stop deliveries) so the
 * spool still shows every accepted message when the test reads it.
 */
public final class TestConf {
    /** Where the test's conf and queue live once written. */
    public record Paths(Path root, Path confDir, Path queueDir, Path logDir) {
    }

    public static final String ME = "qflux.test";

    private final Path root;
    private String me = ME;
    private final List<String> rcptHosts = new ArrayList<>(List.of(ME));
    private final List<String> locals = new ArrayList<>(List.of(ME));
    private final List<String> listen = new ArrayList<>();
    private final List<String> tcpRules = new ArrayList<>(List.of("127.:allow,RELAYCLIENT=\"\"", ":allow"));
    private final Map<String, List<String>> extra = new LinkedHashMap<>();
    private Path queueDir;
    /**
     * conf/alias/.qmail-default's lines: by default a catch-all, so any local address is taken
     * at RCPT (the tests that need unknown users refused clear it); null writes no file.
     */
    private List<String> aliasDefault = List.of("./Maildir/");
    private final int adminPort;

    private TestConf(Path root) {
        this.root = root;
        this.queueDir = root.resolve("queue");
        extra.put("concurrencylocal", List.of("0"));
        extra.put("concurrencyremote", List.of("0"));
        // Each daemon's admin endpoint on its own free port, not the shared default 2526.
        this.adminPort = FreePort.pick();
        extra.put("adminlisten", List.of("127.0.0.1:" + adminPort));
    }

    /** The port of the admin endpoint (control/adminlisten). */
    public int adminPort() {
        return adminPort;
    }

    /** A conf rooted in the given (temporary) directory. */
    public static TestConf in(Path root) {
        return new TestConf(root);
    }

    public TestConf me(String fqdn) {
        this.me = fqdn;
        return this;
    }

    public TestConf rcptHosts(String... domains) {
        rcptHosts.clear();
        rcptHosts.addAll(List.of(domains));
        return this;
    }

    public TestConf locals(String... domains) {
        locals.clear();
        locals.addAll(List.of(domains));
        return this;
    }

    /** A plain SMTP listener on 127.0.0.1. */
    public TestConf listen(int port) {
        listen.add("127.0.0.1:" + port + " smtp");
        return this;
    }

    /** An SMTP listener on 127.0.0.1 that takes a PROXY v1/v2 header from the given networks. */
    public TestConf listenBehindProxy(int port, String proxyNetworks) {
        listen.add("127.0.0.1:" + port + " smtp proxy=" + proxyNetworks);
        return this;
    }

    /** Replaces conf/tcp.smtp (default: 127. may relay, everyone else may connect). */
    public TestConf tcpRules(String... rules) {
        tcpRules.clear();
        tcpRules.addAll(List.of(rules));
        return this;
    }

    public TestConf queueDir(Path dir) {
        this.queueDir = dir;
        return this;
    }

    /** Any other control file, one line per value. */
    public TestConf control(String name, String... lines) {
        extra.put(name, List.of(lines));
        return this;
    }

    /** Writes (or rewrites) every file; listeners are replaced by those set since the last write. */
    public Paths write() {
        if (listen.isEmpty()) {
            throw new IllegalStateException("no listener configured");
        }
        Path conf = root.resolve("conf");
        Path control = conf.resolve("control");
        try {
            Files.createDirectories(control);
            Files.createDirectories(queueDir);
            Path logs = Files.createDirectories(root.resolve("logs"));
            writeLines(control.resolve("me"), List.of(me));
            writeLines(control.resolve("rcpthosts"), rcptHosts);
            writeLines(control.resolve("locals"), locals);
            writeLines(control.resolve("listen"), listen);
            writeLines(control.resolve("queuedir"), List.of(queueDir.toAbsolutePath().toString()));
            for (Map.Entry<String, List<String>> e : extra.entrySet()) {
                writeLines(control.resolve(e.getKey()), e.getValue());
            }
            writeLines(conf.resolve("tcp.smtp"), tcpRules);
            if (aliasDefault != null) {
                writeLines(Files.createDirectories(conf.resolve("alias")).resolve(".qmail-default"), aliasDefault);
            }
            return new Paths(root, conf, queueDir, logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** No catch-all alias: local addresses without a user or alias file are refused at RCPT. */
    public TestConf withoutAliasDefault() {
        aliasDefault = null;
        return this;
    }

    /** Forgets the listeners so the next {@link #listen} calls and {@link #write()} replace them. */
    public TestConf clearListeners() {
        listen.clear();
        return this;
    }

    private static void writeLines(Path file, List<String> lines) throws IOException {
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append('\n');
        }
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
