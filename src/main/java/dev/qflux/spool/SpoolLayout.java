package dev.qflux.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Where things live under a queue directory:
 * <pre>
 * queueDir/lock                  held (flock) by the one running writer
 * queueDir/seg/&lt;16 hex&gt;.seg      append-only segment files, numbered from 1 in creation order
 * queueDir/state/&lt;16 hex&gt;.st    delivery-state files (DONE records), numbered from 1
 * </pre>
 */
final class SpoolLayout {
    static final String LOCK_FILE = "lock";
    static final String SEGMENT_DIR = "seg";
    /** The delivery-state log (docs/spool.md, "Delivery state"). */
    static final String STATE_DIR = "state";
    static final String SEGMENT_SUFFIX = ".seg";
    static final String STATE_SUFFIX = ".st";
    private static final int NAME_DIGITS = 16;

    private SpoolLayout() {
    }

    static Path segmentDir(Path queueDir) {
        return queueDir.resolve(SEGMENT_DIR);
    }

    static Path segmentFile(Path segmentDir, long segment) {
        return segmentDir.resolve(String.format(Locale.ROOT, "%016x", segment) + SEGMENT_SUFFIX);
    }

    static Path stateDir(Path queueDir) {
        return queueDir.resolve(STATE_DIR);
    }

    static Path stateFile(Path stateDir, long number) {
        return stateDir.resolve(String.format(Locale.ROOT, "%016x", number) + STATE_SUFFIX);
    }

    /** Segment numbers present, ascending; other names in the directory are ignored. */
    static List<Long> listSegments(Path segmentDir) throws IOException {
        return listFiles(segmentDir, SEGMENT_SUFFIX);
    }

    /** Numbers of the files named {@code <16 hex><suffix>} in {@code directory}, ascending. */
    static List<Long> listFiles(Path directory, String suffix) throws IOException {
        List<Long> segments = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(directory, "*" + suffix)) {
            for (Path file : dir) {
                String name = file.getFileName().toString();
                if (name.length() == NAME_DIGITS + suffix.length()) {
                    try {
                        segments.add(Long.parseUnsignedLong(name.substring(0, NAME_DIGITS), 16));
                    } catch (NumberFormatException notOurs) {
                        // someone else's file: leave it alone
                    }
                }
            }
        } catch (NoSuchFileException empty) {
            return segments;
        }
        Collections.sort(segments);
        return segments;
    }

    /**
     * fsync a directory so the names created or removed in it survive a crash. fsync(2): "Calling
     * fsync() does not necessarily ensure that the entry in the directory containing the file has
     * also reached disk. For that an explicit fsync() on a file descriptor for the directory is
     * also needed."
     */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
