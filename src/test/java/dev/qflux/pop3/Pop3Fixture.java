package dev.qflux.pop3;

import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.Tools;
import dev.qflux.log.LogSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real POP3 server in the test JVM (so BlockHound watches its event loops) on free ports: a
 * plain {@code pop3} listener first and a {@code pop3s} one second, a certificate made with
 * openssl for this run, and user {@value #USER} whose Maildir is {@link #maildir}.
 */
final class Pop3Fixture implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "s3cret-Pa55word";

    final Path conf;
    final Path home;
    final Path maildir;
    final QfluxConfig config;
    final Pop3Context context;
    final Pop3Server server;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final LogSink log = new LogSink(logBytes);

    private Pop3Fixture(Path dir, Map<String, String> files, boolean apop) throws Exception {
        conf = dir.resolve("conf");
        home = dir.resolve("home/" + USER);
        maildir = home.resolve("Maildir");
        for (String sub : List.of("new", "cur", "tmp")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("control/me", "pop.example.test");
        all.put("control/listen", "127.0.0.1:0 pop3\n127.0.0.1:0 pop3s");
        all.putAll(files);
        for (Map.Entry<String, String> f : all.entrySet()) {
            Path p = conf.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue() + "\n", StandardCharsets.UTF_8);
        }
        selfSignedCertificate(conf.resolve("control/servercert.pem"));
        config = ConfigLoader.load(conf);
        TestAuthenticator auth = new TestAuthenticator().add(USER, PASSWORD, home);
        context = new Pop3Context(config, auth, apop, log, Clock.systemUTC());
        server = Pop3Server.start(context, config.listeners());
    }

    static Pop3Fixture start(Path dir) throws Exception {
        return new Pop3Fixture(dir, Map.of(), false);
    }

    static Pop3Fixture start(Path dir, Map<String, String> files, boolean apop) throws Exception {
        return new Pop3Fixture(dir, files, apop);
    }

    /** A key and certificate for CN=localhost in one PEM file, as control/servercert.pem holds them. */
    static void selfSignedCertificate(Path pem) throws IOException {
        String openssl = Tools.require("openssl");
        Path dir = pem.getParent();
        Path key = dir.resolve("test-key.pem");
        Path cert = dir.resolve("test-cert.pem");
        ExternalProcess.Result r = ExternalProcess.run(Duration.ofSeconds(60), List.of(openssl, "req",
                "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "2",
                "-keyout", key.toString(), "-out", cert.toString()));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(r.describe());
        }
        Files.writeString(pem, Files.readString(cert) + Files.readString(key));
        Files.delete(key);
        Files.delete(cert);
    }

    InetSocketAddress plain() {
        return server.addresses().get(0);
    }

    InetSocketAddress implicitTls() {
        return server.addresses().get(1);
    }

    /** Files in cur/ and new/, by name. */
    List<String> messageFiles() throws IOException {
        try (var cur = Files.list(maildir.resolve("cur")); var fresh = Files.list(maildir.resolve("new"))) {
            return java.util.stream.Stream.concat(cur, fresh).map(p -> p.getFileName().toString())
                    .sorted().toList();
        }
    }

    String log() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Log lines are written by their own thread: wait until one containing {@code text} is out. */
    void awaitLog(String text) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!log().contains(text)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no log line with " + text + " in:\n" + log());
            }
            Thread.onSpinWait();
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
        }
    }

    @Override
    public void close() {
        server.close();
        context.close();
        log.close();
    }
}
