package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.RecordingLoadClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariants 1 and 2 under a crash: qflux dies while 20 sessions send, then restarts on the same
 * spool. Every message that got 250 is there exactly once; nothing whose final dot was never sent
 * is there; every spooled message is whole (ends with its last line). Kill points: SIGKILL at a
 * random moment (most sessions are then mid-DATA), and halts inside the spool writer before a
 * write, after a write and after a flush ({@code -Dqflux.crashAt=POINT:N}).
 */
class CrashIT {
    private static final int SESSIONS = 20;
    /** Enough that load is still running when any kill point is reached. */
    private static final int MESSAGES_PER_SESSION = 500;
    private static final Duration LOAD_BOUND = Duration.ofMinutes(3);
    private static final String SENDER = "load@client.test";
    private static final String RECIPIENT = "sink@" + TestConf.ME;
    private static final String AFTER_RESTART = "<after.restart@crash.test>";
    /** Random kill points are reproducible: -Dqflux.crashSeed=N repeats a failing run. */
    private static final long SEED = Long.getLong("qflux.crashSeed", System.nanoTime());

    /** Where the first process dies: after some acknowledgements (SIGKILL) or at a crashAt point. */
    record KillPoint(String name, int acknowledgedBeforeKill, String crashAt) {
        static KillPoint sigkillAfter(int acknowledged) {
            return new KillPoint("SIGKILL after " + acknowledged + " acknowledged (seed " + SEED + ")",
                    acknowledged, null);
        }

        static KillPoint halt(String crashAt) {
            return new KillPoint("halt at " + crashAt, 0, crashAt);
        }

        String[] jvmOptions() {
            return crashAt == null ? new String[0] : new String[] {"-Dqflux.crashAt=" + crashAt};
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<KillPoint> killPoints() {
        Random random = new Random(SEED);
        return Stream.of(
                KillPoint.sigkillAfter(20 + random.nextInt(200)),
                KillPoint.sigkillAfter(300 + random.nextInt(1500)),
                KillPoint.halt("before-write:40"),
                KillPoint.halt("after-write:40"),
                KillPoint.halt("after-force:25"));
    }

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @MethodSource("killPoints")
    void acknowledgedMessagesSurviveAndNoPartialOneAppears(KillPoint kill) throws Exception {
        TestConf conf = TestConf.in(dir);
        int port = FreePort.pick();
        TestConf.Paths paths = conf.listen(port).write();

        RecordingLoadClient load = new RecordingLoadClient(port, SESSIONS, MESSAGES_PER_SESSION,
                SENDER, RECIPIENT);
        String firstLog;
        try (QfluxProcess first = QfluxProcess.start(paths, kill.jvmOptions())) {
            first.awaitListening(port);
            load.start();
            if (kill.crashAt() == null) {
                load.awaitAcknowledged(kill.acknowledgedBeforeKill(), LOAD_BOUND);
                first.kill9();
            } else {
                boolean halted = first.awaitExitWhile(LOAD_BOUND, () -> !load.isFinished());
                assertThat(halted).as("qflux did not halt at %s although %d messages were sent\n%s",
                        kill.crashAt(), load.dotSent().size(), first.log()).isTrue();
            }
            load.awaitFinished(LOAD_BOUND);
            firstLog = first.log();
        }

        // Restart on the same spool (a fresh port: the old one may linger in TIME_WAIT).
        int restartPort = FreePort.pick();
        paths = conf.clearListeners().listen(restartPort).write();
        int queued;
        try (QfluxProcess second = QfluxProcess.start(paths)) {
            second.awaitListening(restartPort);
            try (RawSmtpClient c = RawSmtpClient.connect(restartPort)) {
                c.expectReply(220);
                c.expect(250, "EHLO after.crash.test");
                RawSmtpClient.Reply r = c.sendMail(SENDER, RECIPIENT,
                        "Message-ID: " + AFTER_RESTART + "\r\n\r\nservice resumed\r\n");
                assertThat(r.code()).as(c.transcript() + second.log()).isEqualTo(250);
            }
            queued = second.qstat();
            second.stop();
        }

        List<SpooledMessage> spool = SpoolInspector.scan(paths.queueDir());
        String context = kill + ": " + load.acknowledged().size() + " acknowledged, "
                + load.dotSent().size() + " final dots sent, " + spool.size() + " spooled; "
                + "sessions ended: " + load.sessionEnds().subList(0, Math.min(3, SESSIONS))
                + "\n--- first qflux log (tail)\n" + tail(firstLog, 2000);
        System.out.println("CrashIT " + kill + ": " + load.acknowledged().size() + " acknowledged, "
                + load.dotSent().size() + " final dots sent, " + spool.size() + " spooled");
        assertThat(load.acknowledged()).as("the crash must come after some acknowledgements; " + context)
                .isNotEmpty();
        assertInvariants(load, spool, context);
        assertThat(queued).as("qstat agrees with the spool; " + context).isEqualTo(spool.size());
    }

    private static void assertInvariants(RecordingLoadClient load, List<SpooledMessage> spool,
                                         String context) {
        Map<String, Integer> counts = SpoolInspector.messageIdCounts(spool);
        Set<String> lost = new TreeSet<>();
        for (String id : load.acknowledged()) {
            if (!counts.containsKey(id)) {
                lost.add(id);
            }
        }
        Set<String> dotSent = load.dotSent();
        List<String> duplicated = new ArrayList<>();
        List<String> neverFinished = new ArrayList<>();
        List<String> truncated = new ArrayList<>();
        List<String> strangers = new ArrayList<>();
        for (SpooledMessage m : spool) {
            String id = m.messageId().orElse("(no Message-ID)");
            if (id.equals(AFTER_RESTART)) {
                continue;
            }
            if (!id.endsWith("@load.test>")) {
                strangers.add(m.toString());
            } else if (!dotSent.contains(id)) {
                neverFinished.add(id);
            } else if (!m.endsWith(RecordingLoadClient.endMarker(id) + "\r\n")) {
                truncated.add(id + " ends with \"" + tail(m.bodyText(), 80) + "\"");
            }
            if (counts.getOrDefault(id, 0) > 1) {
                duplicated.add(id);
            }
        }
        assertThat(lost).as("acknowledged with 250 but not in the spool; " + context).isEmpty();
        assertThat(duplicated).as("spooled more than once; " + context).isEmpty();
        assertThat(neverFinished).as("spooled although the final dot was never sent; " + context)
                .isEmpty();
        assertThat(truncated).as("spooled without its last line; " + context).isEmpty();
        assertThat(strangers).as("unexpected messages; " + context).isEmpty();
        assertThat(counts.get(AFTER_RESTART)).as("message sent after the restart; " + context)
                .isEqualTo(1);
    }

    private static String tail(String text, int keep) {
        return text.length() <= keep ? text : text.substring(text.length() - keep);
    }
}
