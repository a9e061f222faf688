package dev.qflux.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the queue without its lock and without changing a byte, for {@code qflux qread} and
 * {@code qflux qstat} while a daemon may be writing. A record the writer is still appending reads
 * as a torn tail and is left out; it shows up on the next look.
 */
public final class SpoolReader {
    private SpoolReader() {
    }

    /**
     * The messages in the queue at {@code queueDir} with at least one pending recipient, in id
     * order, each with its finished recipients; empty if there is no queue yet. Segments are read
     * before state files, so a message finished while this looks may show as still pending.
     */
    public static List<QueueEntry> scan(Path queueDir) throws IOException {
        return QueueScan.run(queueDir, SpoolScan.Mode.READ_ONLY, message -> { }).unfinished();
    }

    /** The file holding {@code segment}; a message's body is {@link QueueEntry#bytes()} bytes at {@link QueueEntry#bodyOffset()}. */
    public static Path segmentFile(Path queueDir, long segment) {
        return SpoolLayout.segmentFile(SpoolLayout.segmentDir(queueDir), segment);
    }
}
