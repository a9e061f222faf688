package dev.qflux.spool;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads every segment in order and decides which records count (docs/spool.md, "Recovery").
 *
 * <p>Which records count: in the newest segment, every record up to the first one that is torn
 * or fails its CRC (a crash mid-write leaves such a tail; none of it was ever answered with 250).
 * In an older segment, the records up to the committed length its successor's header names: the
 * writer wrote that header only after the older segment's last batch was fsynced, or, when a
 * failed batch could not be truncated, to cut that batch off. Those older records were fsynced
 * before the successor existed, so their bodies are skipped unread; only headers and envelopes are
 * checked for sanity. A segment no header vouches for is verified in full, like the newest.
 *
 * <p>In {@link Mode#RECOVER} (the writer's open, under the lock) the files are repaired: tails are
 * truncated and fsynced, segments left without records are deleted. {@link Mode#READ_ONLY}
 * changes nothing and tolerates a writer appending at the same time.
 */
final class SpoolScan {
    enum Mode { RECOVER, READ_ONLY }

    /**
     * @param entries       the records that count, in id order
     * @param nextId        the first id the writer may hand out
     * @param nextSegment   the number for the writer's next segment
     * @param lastSegment   the newest segment kept ({@link RecordFormat#NO_SEGMENT} if none)
     * @param lastLength    where its records end
     */
    record Result(List<QueueEntry> entries, long nextId, long nextSegment, long lastSegment, long lastLength) {
    }

    /** {@link #scanSegment} results that are not an offset. */
    private static final long DELETED = -1;
    private static final long SKIPPED = -2;

    private final Path segmentDir;
    private final Mode mode;
    private final Consumer<String> log;
    private final SegmentScanner scanner = new SegmentScanner();

    private SpoolScan(Path segmentDir, Mode mode, Consumer<String> log) {
        this.segmentDir = segmentDir;
        this.mode = mode;
        this.log = log;
    }

    static Result run(Path segmentDir, Mode mode, Consumer<String> log) throws IOException {
        return new SpoolScan(segmentDir, mode, log).run();
    }

    private Result run() throws IOException {
        List<Long> segments = SpoolLayout.listSegments(segmentDir);
        Map<Long, RecordFormat.SegmentHeader> headers = new HashMap<>();
        Map<Long, Long> committed = new HashMap<>();
        long nextId = 1;
        for (long segment : segments) {
            RecordFormat.SegmentHeader header = readHeader(segment);
            if (header != null) {
                headers.put(segment, header);
                committed.put(header.previousSegment(), header.previousLength());
                nextId = Math.max(nextId, header.firstId());
            }
        }
        List<QueueEntry> entries = new ArrayList<>();
        long lastSegment = RecordFormat.NO_SEGMENT;
        long lastLength = 0;
        boolean deleted = false;
        for (int i = 0; i < segments.size(); i++) {
            long segment = segments.get(i);
            boolean newest = i == segments.size() - 1;
            long end = scanSegment(segment, headers.get(segment), committed.get(segment), newest, entries);
            if (end < 0) {
                deleted |= end == DELETED;
            } else {
                lastSegment = segment;
                lastLength = end;
            }
        }
        if (deleted) {
            SpoolLayout.syncDirectory(segmentDir);
        }
        entries.sort(Comparator.comparingLong(QueueEntry::id));
        if (!entries.isEmpty()) {
            nextId = Math.max(nextId, entries.get(entries.size() - 1).id() + 1);
        }
        long nextSegment = segments.isEmpty() ? 1 : segments.get(segments.size() - 1) + 1;
        return new Result(entries, nextId, nextSegment, lastSegment, lastLength);
    }

    /** Scans one segment; returns where its records end, or DELETED / SKIPPED. */
    private long scanSegment(long segment, RecordFormat.SegmentHeader header, Long committedLength, boolean newest,
                             List<QueueEntry> out) throws IOException {
        Path file = SpoolLayout.segmentFile(segmentDir, segment);
        try (FileChannel channel = open(file)) {
            long size = channel.size();
            if (header == null) {
                if (newest && mode == Mode.RECOVER) {
                    // Created by a writer that died before the first fsync: nothing in it was answered.
                    log.accept("info: removing queue segment " + file + " with a torn header");
                    Files.delete(file);
                    return DELETED;
                }
                if (!newest) {
                    log.accept("warning: queue segment " + file + " has a damaged header; reading what it can");
                }
                // fall through: verify everything, repair nothing
            } else if (header.segment() != segment) {
                log.accept("warning: queue segment " + file + " claims to be segment " + header.segment());
            }
            boolean vouched = committedLength != null && !newest;
            long limit = vouched ? Math.min(committedLength, size) : size;
            if (vouched && committedLength < RecordFormat.SEGMENT_HEADER_BYTES) {
                limit = RecordFormat.SEGMENT_HEADER_BYTES;
            }
            SegmentScanner.Extent extent = scanner.scan(channel, segment, limit, !vouched, out);
            if (vouched && size < committedLength) {
                log.accept("warning: queue segment " + file + " is shorter (" + size + ") than its committed length "
                        + committedLength);
            }
            if (mode == Mode.READ_ONLY || header == null) {
                return extent.end();
            }
            if (extent.damaged() && vouched) {
                // Fsynced records that no longer read back: a disk fault, not a crash. Keep the file as is.
                log.accept("warning: queue segment " + file + " is damaged at offset " + extent.end()
                        + "; later records in it are not recovered");
                return size;
            }
            if (extent.records() == 0) {
                log.accept("info: removing empty queue segment " + file);
                Files.delete(file); // POSIX: unlinking an open file is fine
                return DELETED;
            }
            if (size > extent.end()) {
                log.accept("info: truncating queue segment " + file + " from " + size + " to " + extent.end()
                        + " bytes (unfinished or refused writes)");
                channel.truncate(extent.end());
                channel.force(false);
            }
            return extent.end();
        } catch (NoSuchFileException gone) {
            if (mode == Mode.RECOVER) {
                throw gone;
            }
            return SKIPPED; // removed while we looked: its messages were finished
        }
    }

    private RecordFormat.SegmentHeader readHeader(long segment) throws IOException {
        try (FileChannel channel = open(SpoolLayout.segmentFile(segmentDir, segment))) {
            return scanner.readHeader(channel);
        } catch (NoSuchFileException gone) {
            if (mode == Mode.RECOVER) {
                throw gone;
            }
            return null;
        }
    }

    private FileChannel open(Path file) throws IOException {
        return mode == Mode.RECOVER
                ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(file, StandardOpenOption.READ);
    }
}
