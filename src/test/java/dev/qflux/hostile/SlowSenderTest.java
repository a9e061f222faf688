package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.smtp.server.LimitCounters.Limit;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Slow senders during DATA and BDAT: below control/mindatarate over a whole window after the
 * grace window, or silent for control/timeoutdata, the session gets 421 4.4.2 and is closed;
 * nothing is queued; a fast client is never cut.
 */
class SlowSenderTest {
    private static final Map<String, String> ONE_SECOND_WINDOWS = Map.of(
            "control/mindatarate", "1000", "control/mindataratewindow", "1", "control/timeoutdata", "600");

    @TempDir
    Path dir;

    @Test
    void aTrickleInDataIsCutAfterTheGraceWindow() throws Exception {
        try (HostileServer server = HostileServer.start(dir, ONE_SECOND_WINDOWS);
             Wire c = server.connect(STRANGER)) {
            toData(c);
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            try {
                // 20 bytes every 100 ms: 200 bytes/s, a fifth of the minimum.
                trickle.scheduleAtFixedRate(() -> c.tryRaw("xxxxxxxxxxxxxxxxxx\r\n".getBytes()),
                        0, 100, TimeUnit.MILLISECONDS);
                assertThat(c.reply()).isEqualTo("421 4.4.2 data rate below 1000 bytes/s, closing connection");
            } finally {
                trickle.shutdownNow();
            }
            assertThat(c.closed()).isTrue();
            assertThat(server.hits(Limit.MIN_DATA_RATE)).isEqualTo(1);
            assertThat(server.queued()).isEmpty();
            server.stillServes();
        }
    }

    @Test
    void aStalledBdatTransactionIsCut() throws Exception {
        try (HostileServer server = HostileServer.start(dir, ONE_SECOND_WINDOWS);
             Wire c = server.connect(STRANGER)) {
            c.expect("EHLO slow.example", "250");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            c.raw("BDAT 100000 LAST\r\nonly the start of it");
            assertThat(c.reply()).isEqualTo("421 4.4.2 data rate below 1000 bytes/s, closing connection");
            assertThat(c.closed()).isTrue();
            assertThat(server.queued()).isEmpty();
            server.stillServes();
        }
    }

    @Test
    void silenceInDataEndsAtTimeoutdata() throws Exception {
        try (HostileServer server = HostileServer.start(dir,
                Map.of("control/mindatarate", "0", "control/timeoutdata", "1"));
             Wire c = server.connect(STRANGER)) {
            toData(c);
            c.raw("Subject: and then nothing\r\n");
            assertThat(c.reply()).isEqualTo("421 4.4.2 mx.example.test timeout, closing connection");
            assertThat(c.closed()).isTrue();
            assertThat(server.hits(Limit.TIMEOUT_DATA)).isEqualTo(1);
            assertThat(server.queued()).isEmpty();
            server.stillServes();
        }
    }

    @Test
    void aFastSenderAndAnIdleCommandPhaseAreNotCut() throws Exception {
        try (HostileServer server = HostileServer.start(dir, ONE_SECOND_WINDOWS);
             Wire c = server.connect(STRANGER)) {
            toData(c);
            String reply = c.command("Subject: fast\r\n\r\n" + "y".repeat(900) + "\r\n" + ".");
            assertThat(reply).startsWith("250 2.0.0 ok ");
            // Between messages the data clock is off: a pause here is timeoutsmtpd's business.
            c.expect("NOOP", "250 2.0.0 ok");
            assertThat(server.hits(Limit.MIN_DATA_RATE)).isZero();
            assertThat(server.queued()).hasSize(1);
        }
    }

    private static void toData(Wire c) throws Exception {
        c.expect("EHLO slow.example", "250");
        c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
        c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
        c.expect("DATA", "354 go ahead, end with <CRLF>.<CRLF>");
    }
}
