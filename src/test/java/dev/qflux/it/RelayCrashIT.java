package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RecordingLoadClient;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.TestConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 2 across a crash while relaying: a relay of 20,000 messages, qflux killed with SIGKILL
 * while 20 sessions send to it and it delivers to smtp-sink; it restarts on the same spool, the
 * clients send the rest of the 20,000 (what was not acknowledged before the kill), and qflux
 * drains its queue. Every message
 * acknowledged with 250 reaches the sink at least once, and whole (its end marker is there). A
 * message may reach the sink twice only if its delivery was in flight at the kill (the sink had
 * its 250 but the spool had not yet recorded it, qmail's "at least once"): so duplicates number at
 * most the deliveries that can be in flight, concurrencyremote transactions of one message each.
 */
class RelayCrashIT {
    /** Messages of the whole relay, acknowledged before and after the kill together. */
    private static final int TOTAL = 20_000;
    private static final int SESSIONS = 20;
    private static final int MESSAGES_PER_SESSION = TOTAL / SESSIONS;
    /** qflux's parallel deliveries (control/concurrencyremote): the most that can be in flight. */
    private static final int CONCURRENCY_REMOTE = 20;
    /** The load client sends one recipient per message: one message per SMTP transaction. */
    private static final int MESSAGES_PER_TRANSACTION = 1;
    /** The kill comes once this many messages reached the sink (and so were acknowledged). */
    private static final int DELIVERED_BEFORE_KILL = 4_000;
    /** Generous: 20,000 messages through a relay on a busy 2-core machine. */
    private static final Duration BOUND = Duration.ofSeconds(600);
    private static final String SENDER = "load@client.test";
    private static final String RECIPIENT = "sink@remote.test";
    /** How many offending Message-IDs a failure shows. */
    private static final int SHOWN = 20;
    private static final Pattern MESSAGE_ID = Pattern.compile("(?mi)^Message-ID: (<[^>\\r\\n]*>)\\r?$");

    @TempDir
    Path dir;

    @Test
    void acknowledgedMessagesArriveWholeAfterAKillMidRelay() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            TestConf conf = TestConf.in(dir.resolve("relay"))
                    .control("concurrencyremote", Integer.toString(CONCURRENCY_REMOTE))
                    .control("smtproutes", ":127.0.0.1:" + sink.port());
            int port = FreePort.pick();
            TestConf.Paths paths = conf.listen(port).write();
            RecordingLoadClient load = new RecordingLoadClient(port, SESSIONS, MESSAGES_PER_SESSION,
                    SENDER, RECIPIENT);
            String firstLog;
            int deliveredAtKill;
            try (QfluxProcess first = QfluxProcess.start(paths)) {
                first.awaitListening(port);
                load.start();
                sink.awaitDumps(DELIVERED_BEFORE_KILL, BOUND);
                first.kill9();
                deliveredAtKill = sink.dumps().size();
                load.awaitFinished(BOUND);
                firstLog = first.log();
            }

            // Restart on the same spool (a fresh port: the old one may linger in TIME_WAIT).
            int restartPort = FreePort.pick();
            paths = conf.clearListeners().listen(restartPort).write();
            int rest = TOTAL - load.acknowledged().size();
            int perSession = (rest + SESSIONS - 1) / SESSIONS;
            RecordingLoadClient after = new RecordingLoadClient(restartPort, SESSIONS, SESSIONS, perSession,
                    SENDER, RECIPIENT);
            String secondLog;
            try (QfluxProcess second = QfluxProcess.start(paths)) {
                second.awaitListening(restartPort);
                after.start();
                after.awaitFinished(BOUND);
                second.awaitCondition(BOUND, () -> second.qstat() == 0, "queue never emptied after restart");
                secondLog = second.log();
                second.stop();
            }

            Set<String> acknowledged = new HashSet<>(load.acknowledged());
            acknowledged.addAll(after.acknowledged());
            Set<String> dotSent = new HashSet<>(load.dotSent());
            dotSent.addAll(after.dotSent());
            Map<String, Integer> arrivals = new HashMap<>();
            List<String> partial = new ArrayList<>();
            List<String> strangers = new ArrayList<>();
            for (Path dump : sink.dumps()) {
                String text = read(dump);
                Matcher m = MESSAGE_ID.matcher(text);
                if (!m.find()) {
                    strangers.add(dump.getFileName() + ": " + head(text));
                    continue;
                }
                String id = m.group(1);
                arrivals.merge(id, 1, Integer::sum);
                // smtp-sink writes its dumps with bare LF line ends.
                if (!text.contains(RecordingLoadClient.endMarker(id) + "\n")) {
                    partial.add(id + " in " + dump.getFileName());
                }
            }
            Set<String> lost = new TreeSet<>(acknowledged);
            lost.removeAll(arrivals.keySet());
            Set<String> unsent = new TreeSet<>(arrivals.keySet());
            unsent.removeAll(dotSent);
            int duplicates = arrivals.values().stream().mapToInt(n -> n - 1).sum();
            List<String> duplicated = arrivals.entrySet().stream().filter(e -> e.getValue() > 1)
                    .map(e -> e.getKey() + " x" + e.getValue()).sorted().toList();
            int inFlightBound = CONCURRENCY_REMOTE * MESSAGES_PER_TRANSACTION;
            String summary = "RelayCrashIT: " + acknowledged.size() + " acknowledged, "
                    + dotSent.size() + " final dots sent, " + load.acknowledged().size()
                    + " of them before the kill, " + deliveredAtKill
                    + " at the sink when killed, " + arrivals.size() + " distinct at the sink, "
                    + duplicates + " duplicate deliveries (at most " + inFlightBound + " allowed) "
                    + duplicated;
            System.out.println(summary);
            String context = summary + "\n--- first qflux log (tail)\n" + tail(firstLog, 3000)
                    + "\n--- second qflux log (tail)\n" + tail(secondLog, 3000);

            assertThat(load.acknowledged()).as("the kill must come after some acknowledgements; " + context)
                    .hasSizeGreaterThanOrEqualTo(DELIVERED_BEFORE_KILL);
            assertThat(acknowledged).as("the relay carried its whole load; " + context)
                    .hasSizeGreaterThanOrEqualTo(TOTAL);
            assertThat(first(strangers)).as("dumps without a Message-ID; " + context).isEmpty();
            assertThat(first(lost)).as("acknowledged with 250 but never delivered; " + context).isEmpty();
            assertThat(first(unsent)).as("delivered although the final dot was never sent; " + context).isEmpty();
            assertThat(first(partial)).as("delivered without the message's last line; " + context).isEmpty();
            assertThat(duplicates).as("duplicates beyond the deliveries in flight at the kill; " + context)
                    .isLessThanOrEqualTo(inFlightBound);
        }
    }

    /** At most the first few of a collection, to keep a failure message readable. */
    private static List<String> first(java.util.Collection<String> items) {
        return items.stream().limit(SHOWN).toList();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String head(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200);
    }

    private static String tail(String text, int keep) {
        return text.length() <= keep ? text : text.substring(text.length() - keep);
    }
}
