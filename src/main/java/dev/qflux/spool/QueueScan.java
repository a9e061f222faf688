package dev.qflux.spool;

import io.netty.util.collection.LongObjectHashMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * The whole queue as recovery sees it: the segments' records ({@link SpoolScan}) with the
 * delivery state ({@link StateScan}) applied. Messages whose recipients are all done are left out.
 *
 * <p>In {@link SpoolScan.Mode#RECOVER} the leftovers of finished work are removed, in the order
 * the writer uses (docs/spool.md, "Removal"): first segments holding only finished messages
 * (never the newest segment, whose records keep the id high-water mark), then {@code seg/} is
 * fsynced, and only then the state files that name no message in a remaining segment.
 */
final class QueueScan {
    /**
     * @param unfinished   messages with at least one pending recipient, in id order, done sets applied
     * @param segments     what the segment scan found (ids, numbering, the newest segment's end)
     * @param emptyKept    segments kept although every message in them is finished
     * @param stateFiles   state files kept, each with the remaining segments its records name
     * @param nextStateFile the number for the writer's next state file
     */
    record Result(List<QueueEntry> unfinished, SpoolScan.Result segments, Set<Long> emptyKept,
                  List<StateScan.StateFile> stateFiles, long nextStateFile) {
    }

    private QueueScan() {
    }

    static Result run(Path queueDir, SpoolScan.Mode mode, Consumer<String> log) throws IOException {
        Path segmentDir = SpoolLayout.segmentDir(queueDir);
        Path stateDir = SpoolLayout.stateDir(queueDir);
        SpoolScan.Result found = SpoolScan.run(segmentDir, mode, log);
        // Primitive keys: a boxed map would cost ~60 bytes per queued message during recovery.
        LongObjectHashMap<QueueEntry> byId = new LongObjectHashMap<>(Math.max(16, found.entries().size()), 0.75f);
        for (QueueEntry e : found.entries()) {
            if (!byId.containsKey(e.id())) {
                byId.put(e.id(), e);
            }
        }
        StateScan.Result state = StateScan.run(stateDir, mode, log, byId::get);

        List<QueueEntry> unfinished = new ArrayList<>();
        Set<Long> withRecords = new TreeSet<>();
        Set<Long> withPending = new HashSet<>();
        for (QueueEntry e : found.entries()) {
            withRecords.add(e.segment());
            BitSet done = state.done().get(e.id());
            QueueEntry applied = done == null ? e : e.withDone(done);
            if (!applied.finished()) {
                unfinished.add(applied);
                withPending.add(e.segment());
            }
        }
        Set<Long> finishedSegments = new TreeSet<>(withRecords);
        finishedSegments.removeAll(withPending);
        if (mode == SpoolScan.Mode.READ_ONLY) {
            return new Result(unfinished, found, finishedSegments, state.files(), state.nextNumber());
        }

        Set<Long> deleted = new HashSet<>();
        Set<Long> emptyKept = new TreeSet<>();
        for (long segment : finishedSegments) {
            if (segment == found.lastSegment()) {
                emptyKept.add(segment); // the id high-water mark lives in its records
                continue;
            }
            Path file = SpoolLayout.segmentFile(segmentDir, segment);
            log.accept("info: removing queue segment " + file + ": every message in it is finished");
            Files.delete(file);
            deleted.add(segment);
        }
        if (!deleted.isEmpty()) {
            SpoolLayout.syncDirectory(segmentDir);
        }
        List<StateScan.StateFile> kept = new ArrayList<>();
        boolean stateDeleted = false;
        for (StateScan.StateFile f : state.files()) {
            Set<Long> remaining = new HashSet<>(f.segments());
            remaining.removeAll(deleted);
            if (remaining.isEmpty()) {
                Files.delete(SpoolLayout.stateFile(stateDir, f.number()));
                stateDeleted = true;
            } else {
                kept.add(new StateScan.StateFile(f.number(), remaining));
            }
        }
        if (stateDeleted) {
            SpoolLayout.syncDirectory(stateDir);
        }
        return new Result(unfinished, found, emptyKept, kept, state.nextNumber());
    }
}
