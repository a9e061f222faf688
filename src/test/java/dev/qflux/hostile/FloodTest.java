package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static dev.qflux.hostile.HostileServer.TRUSTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.smtp.server.LimitCounters.Limit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection floods past the limits get 421 at connect; the server keeps serving everyone else. */
class FloodTest {
    @TempDir
    Path dir;

    @Test
    void connectionsPastTheRatePerAddressGet421AndOthersAreServed() throws Exception {
        try (HostileServer server = HostileServer.start(dir, Map.of("control/connectrateperip", "5"))) {
            for (int i = 0; i < 5; i++) {
                try (Wire c = server.connect(STRANGER)) {
                    assertThat(c.greeting).isEqualTo("220 mx.example.test ESMTP");
                }
            }
            for (int i = 0; i < 20; i++) {
                try (Wire c = server.connect(STRANGER)) {
                    assertThat(c.greeting)
                            .isEqualTo("421 4.7.0 too many connections from your address, try again later");
                    assertThat(c.closed()).isTrue();
                }
            }
            assertThat(server.hits(Limit.CONNECT_RATE_PER_IP)).isEqualTo(20);
            // Another stranger has its own count, and RELAYCLIENT clients are exempt.
            try (Wire c = server.connect("127.0.0.67")) {
                assertThat(c.greeting).isEqualTo("220 mx.example.test ESMTP");
            }
            for (int i = 0; i < 10; i++) {
                try (Wire c = server.connect(TRUSTED)) {
                    assertThat(c.greeting).startsWith("220 ");
                }
            }
            server.stillServes();
            assertThat(server.queued()).hasSize(1);
        }
    }

    @Test
    void sessionsPastConcurrencyGet421AndTheServerRecovers() throws Exception {
        try (HostileServer server = HostileServer.start(dir,
                Map.of("control/concurrencyperip", "3", "control/concurrencyincoming", "6"))) {
            List<Wire> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(server.connect(STRANGER));
                    assertThat(held.get(i).greeting).startsWith("220 ");
                }
                for (int i = 0; i < 10; i++) {
                    try (Wire c = server.connect(STRANGER)) {
                        assertThat(c.greeting)
                                .isEqualTo("421 4.7.0 too many sessions from your address, try again later");
                        assertThat(c.closed()).isTrue();
                    }
                }
                for (int i = 0; i < 3; i++) {
                    held.add(server.connect("127.0.0." + (70 + i)));
                    assertThat(held.get(3 + i).greeting).startsWith("220 ");
                }
                try (Wire c = server.connect("127.0.0.80")) {
                    assertThat(c.greeting).isEqualTo("421 4.3.2 too many sessions, try again later");
                }
                assertThat(server.hits(Limit.CONCURRENCY_PER_IP)).isEqualTo(10);
                assertThat(server.hits(Limit.CONCURRENCY_INCOMING)).isEqualTo(1);
            } finally {
                for (Wire w : held) {
                    w.close();
                }
            }
            // The held sessions end when their sockets close; then a normal client gets through.
            awaitServes(server);
            assertThat(server.queued()).hasSize(1);
        }
    }

    /** The server notices closed sockets asynchronously: retry until a session slot is free. */
    private static void awaitServes(HostileServer server) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            try (Wire probe = server.connect(TRUSTED)) {
                if (probe.greeting.startsWith("220 ")) {
                    probe.command("QUIT");
                    break;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no session slot came free");
            }
            Thread.onSpinWait();
        }
        server.stillServes();
    }
}
