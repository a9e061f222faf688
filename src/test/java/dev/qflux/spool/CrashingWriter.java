package dev.qflux.spool;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Child process for {@link SpoolCrashTest}: accepts fixture messages from several threads until it
 * is killed (or halts itself at a crash point), printing "ok INDEX ID" for each message only after
 * the spool answered it, which is when SMTP would send 250.
 *
 * <p>Arguments: queue directory, first index, number of sender threads.
 */
final class CrashingWriter {
    /** Small segments so crashes also land around segment creation and rolls. */
    static final long SEGMENT_BYTES = 64 << 10;

    private CrashingWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path queue = Path.of(args[0]);
        int first = Integer.parseInt(args[1]);
        int threads = Integer.parseInt(args[2]);
        PrintStream out = System.out;
        SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults().withSegmentBytes(SEGMENT_BYTES));
        out.println("open " + writer.recovered().size());
        out.flush();
        for (int t = 0; t < threads; t++) {
            int offset = t;
            Thread sender = new Thread(() -> {
                for (int index = first + offset; ; index += threads) {
                    QueuedMessage m = writer.accept(SpoolFixtures.envelope(index), SpoolFixtures.body(index)).block();
                    synchronized (out) {
                        out.println("ok " + index + " " + m.id());
                        out.flush();
                    }
                }
            }, "sender-" + t);
            sender.start();
        }
    }
}
