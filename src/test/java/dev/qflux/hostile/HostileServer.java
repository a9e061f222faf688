package dev.qflux.hostile;

import dev.qflux.auth.Authenticators;
import dev.qflux.auth.CloseableAuthenticator;
import dev.qflux.auth.PasswordHash;
import dev.qflux.config.ConfigLoader;
import dev.qflux.it.support.TestCertificate;
import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import dev.qflux.route.Route;
import dev.qflux.route.Router;
import dev.qflux.smtp.server.LimitCounters;
import dev.qflux.smtp.server.ServerContext;
import dev.qflux.smtp.server.ServerSecurity;
import dev.qflux.smtp.server.SmtpServer;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.SpoolOptions;
import dev.qflux.spool.SpoolReader;
import dev.qflux.spool.SpoolWriter;
import dev.qflux.tls.ServerTls;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server in the test JVM (BlockHound watches its event loops) with a real spool, set
 * up for hostile clients: 127.0.0.1 may relay, every other loopback address (the tests use
 * {@link #STRANGER}) is a stranger who may only send to rcpthosts ({@code example.test},
 * {@code localhost}). Built from public API only. {@link #startSecure} adds a test certificate
 * (STARTTLS) and control/passwords holding {@link #USER}.
 */
final class HostileServer implements AutoCloseable {
    /** A client address without RELAYCLIENT: every loopback address routes to lo on Linux. */
    static final String STRANGER = "127.0.0.66";
    static final String TRUSTED = "127.0.0.1";
    static final String USER = "alice";
    static final String PASSWORD = "Tr0ub4dor&3";

    final Path queue;
    final QfluxConfig config;
    final ServerContext context;
    private final SpoolWriter spool;
    private final SmtpServer server;
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final LogSink log = new LogSink(logBytes);
    private CloseableAuthenticator auth;

    private HostileServer(Path dir, Map<String, String> files, boolean secure) throws Exception {
        Path conf = dir.resolve("conf");
        queue = dir.resolve("queue");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("control/me", "mx.example.test");
        all.put("control/rcpthosts", "localhost\nexample.test");
        all.put("control/locals", "localhost\nexample.test\nmx.example.test");
        all.put("control/percenthack", "example.test");
        all.put("control/listen", "127.0.0.1:0 smtp");
        all.put("control/queuedir", queue.toString());
        all.put("control/databytes", "100000");
        all.put("tcp.smtp", "127.0.0.1:allow,RELAYCLIENT=\"\"\n:allow");
        if (secure) {
            TestCertificate cert = TestCertificate.create(dir.resolve("cert"), "mx.example.test");
            all.put("control/servercert.pem", Files.readString(cert.combined()).strip());
            // 1000 iterations: the test is about the protocol, not the hash's cost.
            all.put("control/passwords", USER + ":" + PasswordHash.hash(PASSWORD.toCharArray(), 1000) + ":");
            all.put("control/authfaildelay", "0");
        }
        all.putAll(files);
        for (Map.Entry<String, String> f : all.entrySet()) {
            Path p = conf.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue() + "\n", StandardCharsets.UTF_8);
        }
        config = ConfigLoader.load(conf);
        spool = SpoolWriter.open(queue, SpoolOptions.defaults());
        ServerSecurity security = ServerSecurity.NONE;
        if (secure) {
            auth = Authenticators.fromConfig(config.security(), log).orElseThrow();
            security = new ServerSecurity(ServerTls.load(config.security().serverCert()), auth);
        }
        context = new ServerContext(config, spool, log, Clock.systemUTC(), 0, security);
        server = SmtpServer.start(context, config.listeners());
    }

    static HostileServer start(Path dir) throws Exception {
        return new HostileServer(dir, Map.of(), false);
    }

    static HostileServer start(Path dir, Map<String, String> files) throws Exception {
        return new HostileServer(dir, files, false);
    }

    /** With a certificate and a password file; AUTH without TLS is allowed to loopback clients. */
    static HostileServer startSecure(Path dir, Map<String, String> files) throws Exception {
        return new HostileServer(dir, files, true);
    }

    InetSocketAddress address() {
        return server.addresses().get(0);
    }

    /** A client connecting from {@code from} (a loopback address), greeting already read. */
    Wire connect(String from) throws IOException {
        return Wire.connect(address(), from);
    }

    List<QueueEntry> queued() throws IOException {
        return SpoolReader.scan(queue);
    }

    /** Every queued recipient, in order. */
    List<String> queuedRecipients() throws IOException {
        return queued().stream().flatMap(e -> e.recipients().stream()).toList();
    }

    /** True when no queued recipient would leave this host. */
    boolean nothingRelayed() throws IOException {
        Router router = new Router(config);
        return queuedRecipients().stream().noneMatch(r -> router.route(r) instanceof Route.Remote);
    }

    long hits(LimitCounters.Limit limit) {
        return context.limits().get(limit);
    }

    /**
     * The server still serves: a trusted client sends a message and it is queued. Returns the
     * number of messages queued before it, so callers can assert nothing else was.
     */
    int stillServes() throws IOException {
        int before = queued().size();
        try (Wire c = connect(TRUSTED)) {
            c.expect("EHLO ok.example", "250");
            c.expect("MAIL FROM:<ok@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<ok@localhost>", "250 2.1.5 ok");
            c.expect("DATA", "354 go ahead, end with <CRLF>.<CRLF>");
            String reply = c.command("Subject: still here\r\n\r\nhello\r\n.");
            if (!reply.startsWith("250 2.0.0 ok ")) {
                throw new AssertionError("a normal client after the abuse got: " + reply + "\n" + log());
            }
            c.expect("QUIT", "221 2.0.0 mx.example.test closing connection");
        }
        if (queued().size() != before + 1) {
            throw new AssertionError("the normal message was not queued");
        }
        return before;
    }

    String log() {
        synchronized (logBytes) {
            return logBytes.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public void close() {
        server.close();
        spool.close();
        if (auth != null) {
            auth.close();
        }
        log.close();
    }
}
