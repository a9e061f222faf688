package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import dev.qflux.it.support.Tools;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariants 1 and 6 on a full disk: the queue is a 1 MiB tmpfs. Messages are sent until the
 * spool refuses; every refusal is 451 or 452 (temporary: the client keeps the message), and no
 * message gets 250 unless it is really in the spool. Growing the tmpfs to 64 MiB in place (nothing
 * deleted) lets service resume without a restart.
 */
class DiskFullIT {
    private static final Duration MOUNT_BOUND = Duration.ofSeconds(30);
    /** 8 MiB of mail for a 1 MiB disk: the spool must refuse long before the end. */
    private static final int MAX_MESSAGES = 1000;
    private static final int BODY_LINES = 128;
    private static final int REFUSALS_TO_STOP = 3;
    private static final Duration RESUME_BOUND = Duration.ofSeconds(60);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(500);
    private static final String FINAL_DOT = "final dot";

    @TempDir
    static Path base;
    private static Path queue;
    private static boolean mounted;

    /** Where one message got its last reply. */
    record Attempt(String messageId, String stage, RawSmtpClient.Reply reply, String transcript) {
        boolean accepted() {
            return stage.equals(FINAL_DOT) && reply.code() == 250;
        }
    }

    @BeforeAll
    static void mountTinyQueue() throws IOException {
        Tools.requireRoot("mounting a tmpfs as the queue directory");
        queue = Files.createDirectories(base.resolve("queue"));
        ExternalProcess.Result r = ExternalProcess.run(MOUNT_BOUND,
                List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", queue.toString()));
        Assumptions.assumeTrue(r.exitCode() == 0, "cannot mount a tmpfs here: " + r.describe());
        mounted = true;
    }

    @AfterAll
    static void unmount() {
        if (mounted) {
            ExternalProcess.Result r = ExternalProcess.run(MOUNT_BOUND, List.of("umount", queue.toString()));
            if (r.exitCode() != 0) {
                ExternalProcess.run(MOUNT_BOUND, List.of("umount", "-l", queue.toString()));
            }
        }
    }

    @Test
    void fullSpoolRefusesTemporarilyAndRecoversWhenSpaceReturns() throws Exception {
        int port = FreePort.pick();
        // queuefree 0: no reserve, so the writer itself meets ENOSPC instead of a free-space check.
        TestConf.Paths conf = TestConf.in(base).queueDir(queue).listen(port)
                .control("queuefree", "0").write();
        List<Attempt> attempts = new ArrayList<>();
        Attempt resumed;

        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            int refusedInARow = 0;
            for (int i = 1; i <= MAX_MESSAGES && refusedInARow < REFUSALS_TO_STOP; i++) {
                Attempt a = send(port, "<" + i + "@diskfull.test>");
                attempts.add(a);
                refusedInARow = a.accepted() ? 0 : refusedInARow + 1;
            }
            assertThat(attempts).as("1 MiB spool never refused; qflux log:\n" + qflux.log())
                    .anyMatch(a -> !a.accepted());
            assertThat(attempts).as("nothing accepted before the disk filled")
                    .anyMatch(Attempt::accepted);
            assertThat(attempts).filteredOn(a -> !a.accepted())
                    .allSatisfy(a -> assertThat(a.reply().code()).as(a.transcript()).isIn(451, 452));

            System.out.println("DiskFullIT: " + attempts.stream().filter(Attempt::accepted).count()
                    + " accepted, then " + attempts.stream().filter(a -> !a.accepted())
                    .map(a -> a.stage() + " " + a.reply().text()).toList());
            ExternalProcess.Result grown = ExternalProcess.run(MOUNT_BOUND,
                    List.of("mount", "-o", "remount,size=64m", queue.toString()));
            assertThat(grown.exitCode()).as(grown.describe()).isZero();
            resumed = awaitAccepted(qflux, port, attempts);
            qflux.stop();
        }

        List<SpooledMessage> spool = SpoolInspector.scan(queue);
        Map<String, Integer> counts = SpoolInspector.messageIdCounts(spool);
        for (Attempt a : attempts) {
            if (a.accepted()) {
                assertThat(counts.get(a.messageId())).as("acknowledged %s in spool", a.messageId())
                        .isEqualTo(1);
            } else if (a.stage().equals(FINAL_DOT)) {
                assertThat(counts).as("refused after the dot yet spooled: %s", a.transcript())
                        .doesNotContainKey(a.messageId());
            }
        }
        assertThat(counts.get(resumed.messageId())).isEqualTo(1);
    }

    /** Retries a fresh message until one is accepted; the spool may notice the space late. */
    private static Attempt awaitAccepted(QfluxProcess qflux, int port, List<Attempt> attempts)
            throws IOException {
        long deadline = System.nanoTime() + RESUME_BOUND.toNanos();
        for (int k = 1; ; k++) {
            Attempt a = send(port, "<resumed." + k + "@diskfull.test>");
            attempts.add(a);
            if (a.accepted()) {
                return a;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no message accepted within " + RESUME_BOUND
                        + " after the disk grew\n" + a.transcript() + "\n" + qflux.log());
            }
            qflux.assertStaysUp(RETRY_PAUSE);
        }
    }

    /** One message on its own connection; stops at the first reply that is not the expected one. */
    private static Attempt send(int port, String messageId) throws IOException {
        try (RawSmtpClient c = RawSmtpClient.connect(port)) {
            RawSmtpClient.Reply r = c.readReply();
            if (r.code() != 220) {
                return new Attempt(messageId, "greeting", r, c.transcript());
            }
            r = c.command("EHLO diskfull.client.test");
            if (r.code() != 250) {
                return new Attempt(messageId, "EHLO", r, c.transcript());
            }
            r = c.command("MAIL FROM:<filler@client.test>");
            if (r.code() != 250) {
                return new Attempt(messageId, "MAIL", r, c.transcript());
            }
            r = c.command("RCPT TO:<bob@" + TestConf.ME + ">");
            if (r.code() != 250) {
                return new Attempt(messageId, "RCPT", r, c.transcript());
            }
            r = c.command("DATA");
            if (r.code() != 354) {
                return new Attempt(messageId, "DATA", r, c.transcript());
            }
            c.write(RawSmtpClient.dotStuffed(message(messageId)));
            r = c.readReply();
            Attempt a = new Attempt(messageId, FINAL_DOT, r, c.transcript());
            c.send("QUIT");
            return a;
        }
    }

    private static String message(String messageId) {
        StringBuilder m = new StringBuilder("Message-ID: " + messageId + "\r\nSubject: filler\r\n\r\n");
        for (int i = 0; i < BODY_LINES; i++) {
            m.append(String.format(Locale.ROOT, "%03d filling the queue of %s until it is full\r\n",
                    i, messageId));
        }
        return m.toString();
    }
}
