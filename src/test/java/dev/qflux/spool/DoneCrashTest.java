package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariant 2 with delivery state: kill the process while DONE records are written or finished
 * files are removed, and no pending recipient is lost. A recipient comes back as pending only if
 * its DONE record was not yet answered; a recipient never marked done is never lost.
 */
class DoneCrashTest {
    private static final int THREADS = 6;
    private static final int STRIDE = 1_000_000;

    @TempDir
    Path queue;

    /** index -> id of every answered message; indexes whose DONE record was answered. */
    private final Map<Integer, Long> answered = new HashMap<>();
    private final Set<Integer> doneAnswered = new HashSet<>();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"state-after-write:5", "state-after-force:5", "state-after-write:60",
            "state-after-force:61", "segments-deleted:1", "segments-deleted:4", "after-force:50"})
    void haltingWhileFinishingLosesNothingPending(String crashAt) throws Exception {
        Process child = start(0, "-D" + CrashPoint.PROPERTY + "=" + crashAt);
        try (BufferedReader out = reader(child)) {
            readLines(out, Integer.MAX_VALUE);
        }
        assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("halted at " + crashAt).isEqualTo(CrashPoint.HALT_STATUS);
        assertNothingPendingIsLost();
    }

    @Test
    void killingTheProcessRepeatedlyLosesNothingPending() throws Exception {
        for (int round = 0; round < 3; round++) {
            Process child = start(round * STRIDE);
            try (BufferedReader out = reader(child)) {
                readLines(out, 300 + 150 * round);
                child.toHandle().destroyForcibly();
                readLines(out, Integer.MAX_VALUE);
            }
            assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertNothingPendingIsLost();
        }
    }

    private void assertNothingPendingIsLost() throws IOException {
        assertThat(answered).isNotEmpty();
        assertThat(doneAnswered).isNotEmpty();
        try (SpoolWriter reopened = SpoolWriter.open(queue, FinishingWriter.OPTIONS)) {
            Map<Integer, QueueEntry> found = new HashMap<>();
            for (QueueEntry entry : reopened.recovered()) {
                int index = SpoolFixtures.indexOf(entry);
                assertThat(found.put(index, entry)).as("message %d recovered twice", index).isNull();
                assertThat(SpoolFixtures.readBody(queue, entry)).as("body of %d", index)
                        .isEqualTo(SpoolFixtures.bodyBytes(index));
                // Only what the child asked for can be done: never a recipient nobody delivered.
                BitSet extra = entry.done();
                extra.andNot(bits(FinishingWriter.requested(index)));
                assertThat(extra.isEmpty()).as("%d done %s, never asked for", index, entry.done()).isTrue();
            }
            List<String> problems = new ArrayList<>();
            answered.forEach((index, id) -> {
                QueueEntry entry = found.get(index);
                BitSet asked = bits(FinishingWriter.requested(index));
                if (entry == null) {
                    if (asked.cardinality() < 2) {
                        problems.add(index + ": pending recipients lost");
                    }
                } else if (entry.id() != id) {
                    problems.add(index + ": recovered as " + entry.id() + ", answered as " + id);
                } else if (doneAnswered.contains(index) && !entry.done().equals(asked)) {
                    problems.add(index + ": durable DONE " + asked + " recovered as " + entry.done());
                }
            });
            assertThat(problems).as("of %d answered, %d finished", answered.size(), doneAnswered.size()).isEmpty();
        }
    }

    private Process start(int firstIndex, String... jvmOptions) throws IOException {
        return ChildJvm.start(FinishingWriter.class, List.of(jvmOptions), queue.toString(),
                Integer.toString(firstIndex), Integer.toString(THREADS));
    }

    private static BufferedReader reader(Process child) {
        return ChildJvm.stdout(child);
    }

    /** Reads "ok INDEX ID" and "done INDEX ID" lines until {@code atLeast} lines or the end of output. */
    private void readLines(BufferedReader out, int atLeast) throws IOException {
        int seen = 0;
        String line;
        while (seen < atLeast && (line = out.readLine()) != null) {
            String[] words = line.split(" ");
            if (words[0].equals("ok")) {
                answered.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
            } else if (words[0].equals("done")) {
                doneAnswered.add(Integer.parseInt(words[1]));
            }
            seen++;
        }
    }

    private static BitSet bits(int[] indexes) {
        return RecordDoneTest.bits(indexes);
    }
}
