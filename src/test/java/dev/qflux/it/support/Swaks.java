package dev.qflux.it.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * swaks, the scripted SMTP client: one transaction per run against 127.0.0.1. Its exit code says
 * where a transaction failed (0 = accepted; 23 MAIL, 24 RCPT, 25 DATA, 26 after the final dot).
 */
public final class Swaks {
    /** swaks' exit code when the server refused every recipient. */
    public static final int EXIT_RCPT_REFUSED = 24;
    /** swaks waits this long for each reply by default; the test waits a bit longer overall. */
    private static final Duration RUN_BOUND = Duration.ofSeconds(120);

    private final List<String> args = new ArrayList<>();

    private Swaks(int port) {
        args.addAll(List.of("--server", "127.0.0.1", "--port", Integer.toString(port),
                "--helo", "swaks.client.test", "--timeout", "60"));
    }

    /** A transaction against the given port on 127.0.0.1. */
    public static Swaks against(int port) {
        return new Swaks(port);
    }

    public Swaks from(String sender) {
        return option("--from", sender);
    }

    public Swaks to(String recipient) {
        return option("--to", recipient);
    }

    /** Sends MAIL, RCPT and DATA in one write (RFC 2920). */
    public Swaks pipeline() {
        args.add("--pipeline");
        return this;
    }

    /** STARTTLS after EHLO (RFC 3207); swaks fails when it is not offered. */
    public Swaks tls() {
        args.add("--tls");
        return this;
    }

    /** TLS from the first byte, for an smtps listener (RFC 8314). */
    public Swaks tlsOnConnect() {
        args.add("--tlsc");
        return this;
    }

    /** AUTH with this mechanism (PLAIN, LOGIN), user and password. */
    public Swaks auth(String mechanism, String user, String password) {
        return option("--auth", mechanism).option("--auth-user", user).option("--auth-password", password);
    }

    /** Prints only errors. */
    public Swaks silent() {
        return option("--silent", "2");
    }

    /** Binds the client's end to this local address (e.g. 127.0.0.3). */
    public Swaks localInterface(String address) {
        return option("-li", address);
    }

    /** The whole DATA content (headers and body) from a file; swaks turns LF into CRLF. */
    public Swaks data(Path file) {
        return option("--data", "@" + file); // "@" marks a file name (swaks 20201014 and later)
    }

    /** Sets a header of swaks' own message, replacing swaks' header of that name. */
    public Swaks header(String name, String value) {
        return option("--header", name + ": " + value);
    }

    public Swaks option(String name, String value) {
        args.add(name);
        args.add(value);
        return this;
    }

    public ExternalProcess.Result run() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Tools.require("swaks"));
        cmd.addAll(args);
        return ExternalProcess.run(RUN_BOUND, cmd);
    }
}
