package dev.qflux.spool;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child process for {@link DoneCrashTest}: accepts fixture messages from several threads and
 * finishes some of their recipients, as delivery would, until it is killed or halts itself at a
 * crash point. Prints "ok INDEX ID" once a message is answered and "done INDEX ID" once the DONE
 * record of {@link #requested} is durable.
 *
 * <p>Arguments: queue directory, first index, number of threads.
 */
final class FinishingWriter {
    /** Small segments and state files, so crashes land around removals and rotations too. */
    static final SpoolOptions OPTIONS = SpoolOptions.defaults().withSegmentBytes(16 << 10).withStateFileBytes(512);
    /** Runs of this many consecutive messages are finished entirely, so whole segments become removable. */
    private static final int RUN = 40;

    private FinishingWriter() {
    }

    /** The recipient indexes the child marks done for message {@code index}: both, the second, or none. */
    static int[] requested(int index) {
        if ((index / RUN) % 2 == 0) {
            return new int[] {0, 1};
        }
        return index % 2 == 0 ? new int[] {1} : new int[0];
    }

    public static void main(String[] args) throws Exception {
        Path queue = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        SpoolWriter writer = SpoolWriter.open(queue, OPTIONS);
        for (int t = 0; t < threads; t++) {
            int offset = t;
            new Thread(() -> {
                for (int index = first + offset; ; index += threads) {
                    QueuedMessage m = writer.accept(SpoolFixtures.envelope(index), SpoolFixtures.body(index)).block();
                    print(out, "ok " + index + " " + m.id());
                    int[] done = requested(index);
                    if (done.length > 0) {
                        writer.recordDone(m.id(), done).block();
                        print(out, "done " + index + " " + m.id());
                    }
                }
            }, "delivery-" + t).start();
        }
    }

    private static void print(PrintStream out, String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
