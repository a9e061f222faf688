package dev.qflux.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.AdminConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.netty.http.client.HttpClient;

/**
 * The endpoint in the test JVM, where BlockHound watches its event loop: the work its handlers do
 * (here: reading a file) must run elsewhere, the token is checked, and each verb reaches the daemon.
 */
class AdminServerTest {
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<String> calls = new ArrayList<>();
    private boolean ready = true;
    private Path queueFile;

    @BeforeEach
    void queueFile() throws IOException {
        queueFile = Files.writeString(dir.resolve("queue.json"), "{\"total\":0}");
    }

    private final DaemonControl daemon = new DaemonControl() {
        @Override
        public boolean ready() {
            return ready;
        }

        @Override
        public String statJson() {
            return "{\"pid\":1}";
        }

        @Override
        public String queueJson(int limit) throws IOException {
            calls.add("queue " + limit);
            return Files.readString(queueFile); // blocking: BlockHound fails this on an event loop
        }

        @Override
        public String metrics() {
            return "# TYPE x counter\nx_total 1.0\n";
        }

        @Override
        public void pause(boolean smtp) {
            calls.add("pause " + smtp);
        }

        @Override
        public void cont() {
            calls.add("cont");
        }

        @Override
        public void doqueue() {
            calls.add("doqueue");
        }

        @Override
        public Optional<String> reload() {
            calls.add("reload");
            return Optional.of("reload refused, old configuration kept: conf/control/me:1: empty");
        }

        @Override
        public boolean flush(long messageId) {
            calls.add("flush " + messageId);
            return messageId == 7;
        }

        @Override
        public QueueAction bounce(long messageId) {
            calls.add("bounce " + messageId);
            return action(messageId);
        }

        @Override
        public QueueAction delete(long messageId) {
            calls.add("delete " + messageId);
            return action(messageId);
        }

        /** 7 is queued and idle, 9 is being delivered, anything else is not queued. */
        private QueueAction action(long messageId) {
            return messageId == 7 ? QueueAction.DONE : messageId == 9 ? QueueAction.BUSY : QueueAction.NOT_QUEUED;
        }

        @Override
        public void hold(String destination, boolean on) {
            calls.add((on ? "hold " : "release ") + destination);
        }

        @Override
        public void stop() {
            calls.add("stop");
        }
    };

    @Test
    void tokenGuardsAllButTheProbes() throws Exception {
        try (AdminServer server = start(Set.of("/health", "/ready"))) {
            AdminToken token = AdminToken.read(dir.resolve("admin.token"));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("admin.token"))))
                    .isEqualTo("rw-------");
            assertThat(request(server, "GET", "/health", null)).isEqualTo("200 ok\n");
            assertThat(request(server, "GET", "/ready", null)).isEqualTo("200 ready\n");
            ready = false;
            assertThat(request(server, "GET", "/ready", null)).isEqualTo("503 not ready\n");
            assertThat(request(server, "GET", "/metrics", null)).startsWith("401 ");
            assertThat(request(server, "POST", "/stop", null)).startsWith("401 ");
            assertThat(request(server, "POST", "/stop", "Bearer wrong")).startsWith("401 ");
            assertThat(calls).isEmpty();
            assertThat(request(server, "GET", "/metrics", token.header())).isEqualTo("200 # TYPE x counter\nx_total 1.0\n");
        }
    }

    @Test
    void verbsReachTheDaemonOffTheEventLoop() throws Exception {
        try (AdminServer server = start(Set.of())) {
            String auth = AdminToken.read(dir.resolve("admin.token")).header();
            assertThat(request(server, "GET", "/health", null)).startsWith("401 ");
            assertThat(request(server, "GET", "/queue?limit=5", auth)).isEqualTo("200 {\"total\":0}\n");
            assertThat(request(server, "POST", "/pause?smtp=1", auth)).startsWith("200 ");
            assertThat(request(server, "POST", "/pause", auth)).startsWith("200 ");
            assertThat(request(server, "POST", "/cont", auth)).startsWith("200 ");
            assertThat(request(server, "POST", "/doqueue", auth)).startsWith("200 ");
            assertThat(request(server, "POST", "/reload", auth))
                    .isEqualTo("409 reload refused, old configuration kept: conf/control/me:1: empty\n");
            assertThat(request(server, "POST", "/queue/7/flush", auth)).isEqualTo("200 retrying msg 7 now\n");
            assertThat(request(server, "POST", "/queue/8/flush", auth)).startsWith("404 ");
            assertThat(request(server, "POST", "/queue/x8/flush", auth)).startsWith("400 ");
            assertThat(request(server, "POST", "/destination/127.0.0.1:2525/hold", auth)).startsWith("200 ");
            assertThat(request(server, "POST", "/destination/example.com/release", auth)).startsWith("200 ");
            assertThat(request(server, "POST", "/stop", auth)).startsWith("202 ");
            assertThat(calls).containsExactly("queue 5", "pause true", "pause false", "cont", "doqueue",
                    "reload", "flush 7", "flush 8", "hold 127.0.0.1:2525", "release example.com", "stop");
        }
    }

    @Test
    void bounceAndDeleteAnswerWhatCameOfThem() throws Exception {
        try (AdminServer server = start(Set.of())) {
            String auth = AdminToken.read(dir.resolve("admin.token")).header();
            assertThat(request(server, "POST", "/queue/7/bounce", null)).startsWith("401 ");
            assertThat(request(server, "POST", "/queue/7/bounce", auth)).isEqualTo("200 bounced msg 7\n");
            assertThat(request(server, "POST", "/queue/8/bounce", auth)).startsWith("404 ");
            assertThat(request(server, "POST", "/queue/9/bounce", auth)).startsWith("409 ");
            assertThat(request(server, "POST", "/queue/x/bounce", auth)).startsWith("400 ");
            assertThat(request(server, "POST", "/queue/7/delete", auth))
                    .isEqualTo("400 add ?confirm=yes to delete msg 7: its pending recipients get no mail and no bounce\n");
            assertThat(request(server, "POST", "/queue/7/delete?confirm=1", auth)).startsWith("400 ");
            assertThat(request(server, "POST", "/queue/7/delete?confirm=yes", auth)).isEqualTo("200 deleted msg 7\n");
            assertThat(request(server, "POST", "/queue/8/delete?confirm=yes", auth)).startsWith("404 ");
            assertThat(calls).containsExactly("bounce 7", "bounce 8", "bounce 9",
                    "delete 7", "delete 8");
        }
    }

    @Test
    void anExistingTokenIsKept() throws Exception {
        Path file = Files.writeString(dir.resolve("admin.token"), "kept-token\n");
        assertThat(AdminToken.loadOrCreate(file).header()).isEqualTo("Bearer kept-token");
        assertThat(AdminToken.loadOrCreate(file).matches("Bearer kept-token")).isTrue();
        assertThat(AdminToken.loadOrCreate(file).matches("Bearer kept-token2")).isFalse();
        assertThat(AdminToken.loadOrCreate(file).matches(null)).isFalse();
    }

    private AdminServer start(Set<String> open) throws IOException {
        Path tokenFile = dir.resolve("admin.token");
        AdminConfig config = new AdminConfig(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                open, Duration.ofSeconds(30), tokenFile);
        return AdminServer.start(config, AdminToken.loadOrCreate(tokenFile), daemon);
    }

    /** "STATUS BODY" of one request. */
    private static String request(AdminServer server, String method, String path, String auth) {
        HttpClient client = HttpClient.create().headers(h -> {
            if (auth != null) {
                h.set("Authorization", auth);
            }
        });
        var sender = method.equals("GET") ? client.get() : client.post();
        String answer = sender.uri("http://127.0.0.1:" + server.address().getPort() + path)
                .responseSingle((res, body) -> body.asString().defaultIfEmpty("")
                        .map(text -> res.status().code() + " " + text))
                .block(BOUND);
        if (answer == null) {
            throw new UncheckedIOException(new IOException("no answer"));
        }
        return answer;
    }
}
