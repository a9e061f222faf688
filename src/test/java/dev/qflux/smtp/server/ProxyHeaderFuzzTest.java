package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import dev.qflux.spool.SpoolOptions;
import dev.qflux.spool.SpoolWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes what a trusted balancer's connection sees first: Netty's PROXY v1/v2 decoder followed by
 * {@link SmtpChannelHandler}, exactly as SmtpServer wires them, fed in pieces split anywhere.
 * Invariants: nothing escapes the pipeline (a bad header is one log line and a close); nothing is
 * sent before a valid header (no greeting to an unproven peer); what is sent is whole SMTP reply
 * lines, the first one a greeting or a refusal.
 */
class ProxyHeaderFuzzTest {
    private static Path dir;
    private static SpoolWriter spool;
    private static ServerContext server;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("qflux-proxy-fuzz");
        Path control = Files.createDirectories(dir.resolve("conf/control"));
        Files.writeString(control.resolve("me"), "mx.example.test\n");
        Files.writeString(control.resolve("rcpthosts"), "example.test\n");
        Files.writeString(control.resolve("queuedir"), dir.resolve("queue") + "\n");
        Files.writeString(dir.resolve("conf/tcp.smtp"), "192.0.2.66:deny\n:allow\n");
        QfluxConfig config = ConfigLoader.load(dir.resolve("conf"));
        spool = SpoolWriter.open(dir.resolve("queue"), SpoolOptions.defaults());
        server = new ServerContext(config, spool, new LogSink(OutputStream.nullOutputStream()),
                Clock.systemUTC(), 0);
    }

    @AfterAll
    static void stop() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "10m")
    void proxyHeader(FuzzedDataProvider data) {
        int cut = data.consumeInt(0, 256);
        byte[] input = data.consumeRemainingAsBytes();
        EmbeddedChannel channel = new BalancerChannel();
        channel.pipeline().addLast("qflux.proxy", new HAProxyMessageDecoder());
        channel.pipeline().addLast("qflux.smtp", new SmtpChannelHandler(server, true));
        try {
            int first = Math.min(cut, input.length);
            channel.writeInbound(Unpooled.wrappedBuffer(input, 0, first));
            if (channel.isActive()) {
                channel.writeInbound(Unpooled.wrappedBuffer(input, first, input.length - first));
            }
            channel.runPendingTasks();
            channel.checkException();
            StringBuilder out = new StringBuilder();
            ByteBuf b;
            while ((b = channel.readOutbound()) != null) {
                out.append(b.toString(StandardCharsets.UTF_8));
                b.release();
            }
            String sent = out.toString();
            if (!sent.isEmpty()) {
                assertThat(sent).matches("(?s)(220 |554 5\\.7\\.1 |421 ).*");
                assertThat(sent).endsWith("\r\n");
                for (String line : sent.split("\r\n")) {
                    assertThat(line).matches("[2-5][0-9][0-9][ -].*");
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /** An embedded channel with the socket addresses SmtpChannelHandler expects of a real one. */
    private static final class BalancerChannel extends EmbeddedChannel {
        private static final InetSocketAddress BALANCER = new InetSocketAddress("127.0.0.1", 40000);
        private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 25);

        @Override
        protected SocketAddress remoteAddress0() {
            return BALANCER;
        }

        @Override
        protected SocketAddress localAddress0() {
            return LOCAL;
        }
    }
}
