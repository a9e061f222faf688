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
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful stop in the middle of traffic: SIGTERM while many SMTP sessions send to qflux and it
 * relays to smtp-sink. The daemon exits 0 (within control/draintimeout plus its flush, bounded here
 * generously); started again on the same spool it delivers the rest, and every message a client
 * got 250 for reaches the sink. A message may arrive twice only if its delivery was still running
 * at the drain deadline and was cut short (the sink had it, the spool had not recorded it): at
 * most concurrencyremote such deliveries.
 */
class DrainUnderLoadIT {
    private static final int SESSIONS = 10;
    /** More than the sessions can send before the stop: the load is still running when it comes. */
    private static final int MESSAGES_PER_SESSION = 2_000;
    private static final int CONCURRENCY_REMOTE = 20;
    /** The stop comes once this many messages reached the sink: deliveries are running. */
    private static final int DELIVERED_BEFORE_STOP = 300;
    private static final String DRAIN_SECONDS = "10";
    private static final Duration BOUND = Duration.ofSeconds(300);
    private static final String SENDER = "load@client.test";
    private static final String RECIPIENT = "sink@remote.test";
    private static final Pattern MESSAGE_ID = Pattern.compile("(?mi)^Message-ID: (<[^>\\r\\n]*>)\\r?$");

    @TempDir
    Path dir;

    @Test
    void sigtermUnderLoadExitsZeroAndLosesNoAcknowledgedMessage() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            int port = FreePort.pick();
            TestConf conf = TestConf.in(dir.resolve("relay")).listen(port)
                    .control("concurrencyremote", Integer.toString(CONCURRENCY_REMOTE))
                    .control("smtproutes", ":127.0.0.1:" + sink.port())
                    .control("draintimeout", DRAIN_SECONDS);
            TestConf.Paths paths = conf.write();
            RecordingLoadClient load = new RecordingLoadClient(port, SESSIONS, MESSAGES_PER_SESSION,
                    SENDER, RECIPIENT);
            String firstLog;
            try (QfluxProcess first = QfluxProcess.start(paths)) {
                first.awaitListening(port);
                load.start();
                sink.awaitDumps(DELIVERED_BEFORE_STOP, BOUND);
                first.signalTerm();
                int status = first.awaitExit(QfluxProcess.STOP_BOUND);
                firstLog = first.log();
                assertThat(status).as(firstLog).isZero();
                load.awaitFinished(BOUND);
            }
            assertThat(load.isFinished()).isTrue();
            assertThat(load.sessionEnds()).as("the stop came while the load still ran")
                    .anyMatch(end -> !end.equals("finished"));
            assertThat(firstLog).contains("status: stopping: ", "status: exiting");

            // Same spool, a fresh port (the old one may linger in TIME_WAIT): deliver what is left.
            int restartPort = FreePort.pick();
            paths = conf.clearListeners().listen(restartPort).write();
            try (QfluxProcess second = QfluxProcess.start(paths)) {
                second.awaitListening(restartPort);
                second.awaitCondition(BOUND, () -> second.qstat() == 0, "queue never emptied after restart");
                second.stop();
            }

            Map<String, Integer> arrivals = arrivals(sink);
            Set<String> lost = new TreeSet<>(load.acknowledged());
            lost.removeAll(arrivals.keySet());
            Set<String> unsent = new TreeSet<>(arrivals.keySet());
            unsent.removeAll(load.dotSent());
            int duplicates = arrivals.values().stream().mapToInt(n -> n - 1).sum();
            String counts = load.acknowledged().size() + " acknowledged, " + arrivals.size()
                    + " distinct at the sink, " + duplicates + " duplicates";
            System.out.println("DrainUnderLoadIT: " + counts);
            String summary = counts + "; first log tail:\n" + firstLog.substring(Math.max(0, firstLog.length() - 3000));

            assertThat(load.acknowledged()).as(summary).hasSizeGreaterThanOrEqualTo(DELIVERED_BEFORE_STOP);
            assertThat(lost.stream().limit(20).toList()).as("acknowledged but never delivered; " + summary)
                    .isEmpty();
            assertThat(unsent.stream().limit(20).toList()).as("delivered without a final dot; " + summary)
                    .isEmpty();
            assertThat(duplicates).as("duplicates beyond the deliveries cut short; " + summary)
                    .isLessThanOrEqualTo(CONCURRENCY_REMOTE);
        }
    }

    /** Message-ID to the number of times the sink received it. */
    private static Map<String, Integer> arrivals(SmtpSink sink) {
        Map<String, Integer> arrivals = new HashMap<>();
        for (Path dump : sink.dumps()) {
            String text;
            try {
                text = Files.readString(dump, StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Matcher m = MESSAGE_ID.matcher(text);
            assertThat(m.find()).as("dump without a Message-ID: " + dump).isTrue();
            String id = m.group(1);
            // smtp-sink writes its dumps with bare LF line ends; a whole message has its end marker.
            assertThat(text).as("partial delivery of " + id).contains(RecordingLoadClient.endMarker(id) + "\n");
            arrivals.merge(id, 1, Integer::sum);
        }
        return arrivals;
    }
}
