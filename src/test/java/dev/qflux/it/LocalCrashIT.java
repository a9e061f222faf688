package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Mailboxes;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RecordingLoadClient;
import dev.qflux.it.support.TestConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 across a crash during local delivery: messages for a local user arrive over SMTP
 * while qflux delivers them to the user's Maildir, concurrencylocal at a time; qflux is killed
 * with SIGKILL once the Maildir holds some, and restarted on the same spool until its queue is
 * empty. Python's mailbox then finds every message acknowledged with 250 in the Maildir at least
 * once and whole; a message may be there twice only if its delivery was in flight at the kill
 * (written to the Maildir, not yet recorded done in the spool), so duplicates number at most
 * concurrencylocal. A killed delivery leaves at most its file in Maildir/tmp, never half a
 * message in new/.
 */
class LocalCrashIT {
    private static final int NOBODY = Mailboxes.NOBODY;
    private static final int SESSIONS = 4;
    private static final int MESSAGES_PER_SESSION = 50;
    /** qflux's parallel local deliveries (control/concurrencylocal): the most that can be in flight. */
    private static final int CONCURRENCY_LOCAL = 4;
    /** The kill comes once this many messages are in the Maildir. */
    private static final int DELIVERED_BEFORE_KILL = 40;
    /** Generous: every Maildir write as root is a short-lived JVM, on a busy 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(600);
    private static final String SENDER = "load@client.test";
    private static final String RECIPIENT = "alice@" + TestConf.ME;
    /** How many offending Message-IDs a failure shows. */
    private static final int SHOWN = 20;
    /** One line per message: its Message-ID, a tab, and 1 if the load client's end marker is in it. */
    private static final String READ_MAILDIR = String.join("\n",
            "import mailbox, sys",
            "box = mailbox.Maildir(sys.argv[1], factory=None, create=False)",
            "for key in box.keys():",
            "    raw = box.get_bytes(key)",
            "    msg = box.get_message(key)",
            "    mid = msg['Message-ID'] or ''",
            "    whole = ('end of message ' + mid).encode() in raw",
            "    print(mid + '\\t' + ('1' if whole else '0'))");

    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesReachTheMaildirAfterAKillMidDelivery() throws Exception {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("needs root to act as nobody")
                .isEqualTo(0);
        Path home = Files.createDirectories(dir.resolve("home/alice"));
        Path maildir = home.resolve("Maildir");
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(maildir.resolve(sub));
        }
        Mailboxes.chownToNobody(dir.resolve("home"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        TestConf conf = TestConf.in(dir.resolve("qflux")).withoutAliasDefault()
                .control("concurrencylocal", Integer.toString(CONCURRENCY_LOCAL))
                .control("defaultdelivery", "./Maildir/");
        int port = FreePort.pick();
        TestConf.Paths paths = conf.listen(port).write();
        Files.createDirectories(paths.confDir().resolve("users"));
        Files.writeString(paths.confDir().resolve("users/assign"),
                "=alice:alice:" + NOBODY + ":" + NOBODY + ":" + home + ":::\n.\n");

        // A killed qflux cannot remove its local work directory: keep it in this test's directory.
        String tmpdir = "-Djava.io.tmpdir=" + Files.createDirectories(dir.resolve("tmp"));
        RecordingLoadClient load = new RecordingLoadClient(port, SESSIONS, MESSAGES_PER_SESSION, SENDER, RECIPIENT);
        long deliveredAtKill;
        int acknowledgedAtKill;
        String firstLog;
        try (QfluxProcess first = QfluxProcess.start(paths, tmpdir)) {
            first.awaitListening(port);
            load.start();
            first.awaitCondition(BOUND, () -> Mailboxes.files(maildir.resolve("new")) >= DELIVERED_BEFORE_KILL,
                    "fewer than " + DELIVERED_BEFORE_KILL + " messages in the Maildir");
            acknowledgedAtKill = load.acknowledged().size();
            first.kill9();
            deliveredAtKill = Mailboxes.files(maildir.resolve("new"));
            load.awaitFinished(BOUND);
            firstLog = first.log();
        }

        // Restart on the same spool (a fresh port: the old one may linger in TIME_WAIT).
        int restartPort = FreePort.pick();
        paths = conf.clearListeners().listen(restartPort).write();
        String secondLog;
        try (QfluxProcess second = QfluxProcess.start(paths, tmpdir)) {
            second.awaitListening(restartPort);
            second.awaitCondition(BOUND, () -> second.qstat() == 0, "queue never emptied after restart");
            secondLog = second.log();
            second.stop();
        }

        Set<String> acknowledged = load.acknowledged();
        Set<String> dotSent = load.dotSent();
        Map<String, Integer> arrivals = new HashMap<>();
        List<String> partial = new ArrayList<>();
        ExternalProcess.Result read = ExternalProcess.run(BOUND, List.of("python3", "-c", READ_MAILDIR,
                maildir.toString()));
        assertThat(read.exitCode()).as(read.describe()).isZero();
        for (String line : read.stdout().lines().toList()) {
            String[] f = line.split("\t");
            arrivals.merge(f[0], 1, Integer::sum);
            if (!f[1].equals("1")) {
                partial.add(f[0]);
            }
        }
        Set<String> lost = new TreeSet<>(acknowledged);
        lost.removeAll(arrivals.keySet());
        Set<String> unsent = new TreeSet<>(arrivals.keySet());
        unsent.removeAll(dotSent);
        int duplicates = arrivals.values().stream().mapToInt(n -> n - 1).sum();
        List<String> duplicated = arrivals.entrySet().stream().filter(e -> e.getValue() > 1)
                .map(e -> e.getKey() + " x" + e.getValue()).sorted().toList();
        long leftInTmp = Mailboxes.files(maildir.resolve("tmp"));
        String summary = "LocalCrashIT: " + acknowledged.size() + " acknowledged (" + acknowledgedAtKill
                + " before the kill), " + dotSent.size() + " final dots sent, " + deliveredAtKill
                + " in the Maildir when killed, " + arrivals.size() + " distinct in the Maildir, " + duplicates
                + " duplicate deliveries (at most " + CONCURRENCY_LOCAL + " allowed) " + duplicated + ", "
                + leftInTmp + " left in tmp/";
        System.out.println(summary);
        String context = summary + "\n--- first qflux log (tail)\n" + tail(firstLog, 3000)
                + "\n--- second qflux log (tail)\n" + tail(secondLog, 3000);

        assertThat(acknowledgedAtKill).as("the kill must come after acknowledgements; " + context).isPositive();
        assertThat(deliveredAtKill).as("the kill must come while deliveries are pending; " + context)
                .isLessThan(acknowledged.size());
        assertThat(first(lost)).as("acknowledged with 250 but never delivered; " + context).isEmpty();
        assertThat(first(unsent)).as("delivered although the final dot was never sent; " + context).isEmpty();
        assertThat(first(partial)).as("delivered without the message's last line; " + context).isEmpty();
        assertThat(duplicates).as("duplicates beyond the deliveries in flight at the kill; " + context)
                .isLessThanOrEqualTo(CONCURRENCY_LOCAL);
        assertThat(leftInTmp).as("a killed delivery leaves at most its own tmp file; " + context)
                .isLessThanOrEqualTo(CONCURRENCY_LOCAL);
    }

    private static List<String> first(java.util.Collection<String> items) {
        return items.stream().limit(SHOWN).toList();
    }

    private static String tail(String text, int keep) {
        return text.length() <= keep ? text : text.substring(text.length() - keep);
    }
}
