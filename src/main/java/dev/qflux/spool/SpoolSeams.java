package dev.qflux.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The writer's contact points with the operating system, replaceable so tests can make the disk
 * fail, fill up or stall exactly when they want.
 *
 * @param segmentOpener creates a new segment file for writing
 * @param usableSpace   the free-space probe; null means statvfs on the queue's file system
 * @param beforeBatch   runs on the writer thread before each batch
 */
record SpoolSeams(ChannelOpener segmentOpener, UsableSpace usableSpace, Runnable beforeBatch) {

    static final SpoolSeams REAL = new SpoolSeams(
            file -> FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), null, () -> { });

    interface ChannelOpener {
        FileChannel open(Path file) throws IOException;
    }

    interface UsableSpace {
        long bytes() throws IOException;
    }

    SpoolSeams withSegmentOpener(ChannelOpener opener) {
        return new SpoolSeams(opener, usableSpace, beforeBatch);
    }

    SpoolSeams withUsableSpace(UsableSpace probe) {
        return new SpoolSeams(segmentOpener, probe, beforeBatch);
    }

    SpoolSeams withBeforeBatch(Runnable hook) {
        return new SpoolSeams(segmentOpener, usableSpace, hook);
    }
}
