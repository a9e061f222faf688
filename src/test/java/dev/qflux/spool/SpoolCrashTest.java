package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Invariant 2: kill the writer's process at any instant and every message it answered is still
 * there, byte for byte, while nothing half-written ever shows up.
 */
class SpoolCrashTest {
    private static final int SENDERS = 6;
    private static final int STRIDE = 1_000_000;

    @TempDir
    Path queue;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"before-write:7", "after-write:7", "after-force:7", "after-write:40", "after-force:41"})
    void haltingAtACrashPointLosesNothingAnswered(String crashAt) throws Exception {
        Map<Integer, Long> answered = new HashMap<>();
        Process child = start(0, "-D" + CrashPoint.PROPERTY + "=" + crashAt);
        try (BufferedReader out = reader(child)) {
            readAnswers(out, Integer.MAX_VALUE, answered);
        }
        assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).as("halted at " + crashAt).isEqualTo(CrashPoint.HALT_STATUS);
        assertEverythingAnsweredIsThere(answered);
    }

    @Test
    void killingTheProcessRepeatedlyLosesNothingAnswered() throws Exception {
        Map<Integer, Long> answered = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            Process child = start(round * STRIDE);
            try (BufferedReader out = reader(child)) {
                readAnswers(out, 150 + 100 * round, answered);
                // SIGKILL at whatever the writer is doing; the handle, unlike Process, keeps our end of the pipe open
                child.toHandle().destroyForcibly();
                readAnswers(out, Integer.MAX_VALUE, answered);
            }
            assertThat(child.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertEverythingAnsweredIsThere(answered);
        }
    }

    private void assertEverythingAnsweredIsThere(Map<Integer, Long> answered) throws IOException {
        assertThat(answered).isNotEmpty();
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            Map<Integer, QueueEntry> found = new HashMap<>();
            for (QueueEntry entry : reopened.recovered()) {
                int index = SpoolFixtures.indexOf(entry);
                assertThat(found.put(index, entry)).as("message %d recovered twice", index).isNull();
                // Unanswered messages may survive too (at least once), but never damaged.
                assertThat(new Envelope(entry.sender(), entry.recipients())).isEqualTo(SpoolFixtures.envelope(index));
                assertThat(SpoolFixtures.readBody(queue, entry)).as("body of %d", index)
                        .isEqualTo(SpoolFixtures.bodyBytes(index));
            }
            List<Integer> lost = new ArrayList<>();
            answered.forEach((index, id) -> {
                QueueEntry entry = found.get(index);
                if (entry == null || entry.id() != id) {
                    lost.add(index);
                }
            });
            assertThat(lost).as("answered but not recovered (of %d answered)", answered.size()).isEmpty();
        }
    }

    private Process start(int firstIndex, String... jvmOptions) throws IOException {
        return ChildJvm.start(CrashingWriter.class, List.of(jvmOptions), queue.toString(),
                Integer.toString(firstIndex), Integer.toString(SENDERS));
    }

    private static BufferedReader reader(Process child) {
        return ChildJvm.stdout(child);
    }

    /** Reads "ok INDEX ID" lines until {@code atLeast} answers are known or the child's output ends. */
    private static void readAnswers(BufferedReader out, int atLeast, Map<Integer, Long> answered) throws IOException {
        int seen = 0;
        String line;
        while (seen < atLeast && (line = out.readLine()) != null) {
            String[] words = line.split(" ");
            if (words[0].equals("ok")) {
                answered.put(Integer.parseInt(words[1]), Long.parseLong(words[2]));
                seen++;
            }
        }
    }
}
