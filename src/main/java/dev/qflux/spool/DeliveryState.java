package dev.qflux.spool;

import io.netty.util.collection.LongObjectHashMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Which recipients of which queued message are finished, made durable through the state log, and
 * the removal of what finished work leaves behind. Writer thread only, apart from the volatile
 * counters.
 *
 * <p>Order that keeps invariant 2 (docs/spool.md, "Removal"): a DONE record is fsynced before its
 * caller hears of it and before anything is deleted because of it; a segment is deleted, and
 * {@code seg/} fsynced, before any state file whose records finished it; the newest segment holding
 * messages is never deleted, so ids are never handed out twice and an old DONE record can never
 * finish a new message.
 */
final class DeliveryState implements AutoCloseable {
    /**
     * The heap cost of a queued message: its segment, recipient count and finished set, the set
     * made only when a message is partly finished (one-recipient messages never need one). With
     * the primitive map about 56 bytes a message.
     */
    private static final class Tracked {
        final long segment;
        final int recipients;
        BitSet done;

        Tracked(long segment, int recipients, BitSet done) {
            this.segment = segment;
            this.recipients = recipients;
            this.done = done.isEmpty() ? null : done;
        }

        /** Marks recipients finished; true when that finishes the message. */
        boolean finish(int[] indexes) {
            if (done == null) {
                if (indexes.length == recipients && recipients == 1) {
                    return true;
                }
                done = new BitSet(recipients);
            }
            for (int index : indexes) {
                done.set(index);
            }
            return done.cardinality() == recipients;
        }
    }

    private final Path segmentDir;
    private final StateLog stateLog;
    private final Consumer<String> log;
    private final LongObjectHashMap<Tracked> messages = new LongObjectHashMap<>(1024, 0.75f);
    private final Map<Long, Integer> unfinishedPerSegment = new HashMap<>();
    /** Segments whose messages are all finished, not yet deleted. */
    private final Set<Long> finishedSegments = new TreeSet<>();
    /** Segments started to cut off a batch that could not be truncated: they vouch for that cut until restart. */
    private final Set<Long> pinned = new HashSet<>();
    private final List<DoneRequest> writing = new ArrayList<>();
    private long newestWithMessages;
    private long stateBatches;
    private long segmentSweeps;

    private volatile long unfinished;
    private volatile long flushes;
    private volatile long records;

    DeliveryState(Path segmentDir, StateLog stateLog, Consumer<String> log, QueueScan.Result recovered) {
        this.segmentDir = segmentDir;
        this.stateLog = stateLog;
        this.log = log;
        this.newestWithMessages = recovered.segments().lastSegment();
        finishedSegments.addAll(recovered.emptyKept());
        for (QueueEntry e : recovered.unfinished()) {
            add(e);
        }
    }

    /** Messages with a pending recipient. Any thread. */
    long unfinished() {
        return unfinished;
    }

    long flushes() {
        return flushes;
    }

    long records() {
        return records;
    }

    /** A message made durable: track it until its last recipient is done. */
    void add(QueueEntry e) {
        messages.put(e.id(), new Tracked(e.segment(), e.recipients().size(), e.done()));
        unfinishedPerSegment.merge(e.segment(), 1, Integer::sum);
        // The current segment may have been all finished a moment ago; it is not any more.
        finishedSegments.remove(e.segment());
        unfinished = messages.size();
        if (e.segment() > newestWithMessages) {
            newestWithMessages = e.segment(); // the previous newest may now go
            sweep();
        }
    }

    void pin(long segment) {
        pinned.add(segment);
    }

    /** Writes, fsyncs and applies one batch of DONE requests, then answers them and removes what finished. */
    void record(List<DoneRequest> batch) {
        writing.clear();
        List<DoneRequest> nothingToWrite = new ArrayList<>();
        for (DoneRequest r : batch) {
            Tracked t = messages.get(r.id);
            String bad = t == null ? null : badIndex(r.indexes, t.recipients);
            if (bad != null) {
                r.fail(new IllegalArgumentException("message " + r.id + ": " + bad));
            } else if (t == null) {
                nothingToWrite.add(r); // finished already (or unknown): nothing of it is pending
            } else {
                r.segment = t.segment;
                writing.add(r);
            }
        }
        if (!writing.isEmpty() && !writeDurably()) {
            return;
        }
        for (DoneRequest r : writing) {
            apply(r);
        }
        for (DoneRequest r : writing) {
            r.succeed();
        }
        for (DoneRequest r : nothingToWrite) {
            r.succeed();
        }
        writing.clear();
        stateLog.rollIfFull();
        sweep();
    }

    /** Fails the whole batch if the write or fsync fails; a DONE record that still reaches the disk is true anyway. */
    private boolean writeDurably() {
        long batch = ++stateBatches;
        try {
            stateLog.write(writing);
            CrashPoint.reached(CrashPoint.Point.STATE_AFTER_WRITE, batch);
            stateLog.force();
            CrashPoint.reached(CrashPoint.Point.STATE_AFTER_FORCE, batch);
        } catch (IOException | RuntimeException e) {
            log.accept("warning: delivery state write failed, " + writing.size() + " records refused: " + e);
            stateLog.abandonCurrent();
            SpoolWriteException why = new SpoolWriteException("delivery state write failed: " + e, e);
            for (DoneRequest r : writing) {
                r.fail(why);
            }
            writing.clear();
            return false;
        }
        flushes++;
        records += writing.size();
        return true;
    }

    private void apply(DoneRequest r) {
        Tracked t = messages.get(r.id);
        if (t == null) {
            return; // an earlier request of this batch finished it
        }
        if (t.finish(r.indexes)) {
            messages.remove(r.id);
            unfinished = messages.size();
            if (unfinishedPerSegment.merge(t.segment, -1, Integer::sum) == 0) {
                unfinishedPerSegment.remove(t.segment);
                finishedSegments.add(t.segment);
            }
        }
    }

    /** Deletes finished segments (fsyncing seg/), then the state files that named only them. */
    private void sweep() {
        Set<Long> deleted = new HashSet<>();
        for (Iterator<Long> it = finishedSegments.iterator(); it.hasNext(); ) {
            long segment = it.next();
            if (segment >= newestWithMessages || pinned.contains(segment)) {
                continue;
            }
            it.remove();
            try {
                Files.deleteIfExists(SpoolLayout.segmentFile(segmentDir, segment));
                deleted.add(segment);
            } catch (IOException e) {
                log.accept("warning: cannot remove finished queue segment " + segment + ": " + e);
            }
        }
        try {
            if (!deleted.isEmpty()) {
                SpoolLayout.syncDirectory(segmentDir);
                CrashPoint.reached(CrashPoint.Point.SEGMENTS_DELETED, ++segmentSweeps);
            }
            stateLog.dropFilesOf(deleted);
        } catch (IOException e) {
            // State files stay until the next open removes them; a segment without its state is never risked.
            log.accept("warning: removing finished queue files: " + e);
        }
    }

    private static String badIndex(int[] indexes, int recipients) {
        if (indexes.length == 0) {
            return "no recipient indexes";
        }
        for (int index : indexes) {
            if (index < 0 || index >= recipients) {
                return "recipient index " + index + " outside 0.." + (recipients - 1);
            }
        }
        return null;
    }

    @Override
    public void close() {
        stateLog.close();
    }
}
