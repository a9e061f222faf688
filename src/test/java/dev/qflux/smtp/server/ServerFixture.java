package dev.qflux.smtp.server;

import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import dev.qflux.spool.SpoolOptions;
import dev.qflux.spool.SpoolReader;
import dev.qflux.spool.SpoolWriter;
import java.io.ByteArrayOutputStream;
import dev.qflux.spool.QueueEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real SMTP server in the test JVM (so BlockHound watches its event loops) on a free port, with
 * a real spool in a temp dir and a conf dir written from defaults plus per-test control files.
 */
final class ServerFixture implements AutoCloseable {
    final Path conf;
    final Path queue;
    final QfluxConfig config;
    final SpoolWriter spool;
    final SmtpServer server;
    final ServerContext ctx;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final LogSink log = new LogSink(logBytes);

    private ServerFixture(Path dir, Map<String, String> files) throws Exception {
        this(dir, files, (c, l) -> ServerSecurity.NONE);
    }

    /** What the daemon would build from the loaded configuration (certificate, authenticator). */
    interface SecurityFactory {
        ServerSecurity create(QfluxConfig config, LogSink log) throws Exception;
    }

    private ServerFixture(Path dir, Map<String, String> files, SecurityFactory security) throws Exception {
        conf = dir.resolve("conf");
        queue = dir.resolve("queue");
        Map<String, String> all = new LinkedHashMap<>();
        all.put("control/me", "mx.example.test");
        all.put("control/rcpthosts", "localhost\nexample.test");
        all.put("control/locals", "localhost");
        all.put("control/listen", "127.0.0.1:0 smtp");
        all.put("control/queuedir", queue.toString());
        all.put("tcp.smtp", "127.:allow,RELAYCLIENT=\"\"\n:allow");
        all.putAll(files);
        for (Map.Entry<String, String> f : all.entrySet()) {
            Path p = conf.resolve(f.getKey());
            Files.createDirectories(p.getParent());
            Files.writeString(p, f.getValue() + "\n", StandardCharsets.UTF_8);
        }
        config = ConfigLoader.load(conf);
        spool = SpoolWriter.open(queue, SpoolOptions.defaults());
        ctx = new ServerContext(config, spool, log, Clock.systemUTC(), 0, security.create(config, log));
        server = SmtpServer.start(ctx, config.listeners());
    }

    static ServerFixture start(Path dir, Map<String, String> files) throws Exception {
        return new ServerFixture(dir, files);
    }

    static ServerFixture start(Path dir, Map<String, String> files, SecurityFactory security) throws Exception {
        return new ServerFixture(dir, files, security);
    }

    InetSocketAddress address() {
        return server.addresses().get(0);
    }

    int queued() throws IOException {
        return SpoolReader.scan(queue).size();
    }

    List<QueueEntry> entries() throws IOException {
        return SpoolReader.scan(queue);
    }

    /** A queued message's stored bytes (Received line included). */
    String body(QueueEntry e) throws IOException {
        try (FileChannel ch = FileChannel.open(SpoolReader.segmentFile(queue, e.segment()))) {
            ByteBuffer buf = ByteBuffer.allocate((int) e.bytes());
            while (buf.hasRemaining() && ch.read(buf, e.bodyOffset() + buf.position()) > 0) {
                // read until full
            }
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
        }
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
        log.close();
    }
}
