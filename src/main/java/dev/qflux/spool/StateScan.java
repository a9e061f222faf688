package dev.qflux.spool;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;

/**
 * Reads the delivery-state files in order and collects the DONE records that count: in each file,
 * every record up to the first one that is torn or fails its CRC (a crash mid-append leaves such a
 * tail; none of it was ever answered), and in RECOVER mode each file is fsynced before any removal
 * relies on it. A lost tail can only make a finished delivery look pending
 * again, never the other way round (design invariant 2). In {@link SpoolScan.Mode#RECOVER} such a
 * tail is truncated, since every open starts a new state file and nobody appends after it.
 */
final class StateScan {
    /** Read buffer for one state file. */
    private static final int READ_BUFFER_BYTES = 64 << 10;

    /** A state file kept, with the segments holding the messages its records name. */
    record StateFile(long number, Set<Long> segments) {
    }

    /**
     * @param done   finished recipients per message id, for ids found in {@code byId}
     * @param files  every state file read, in number order
     * @param nextNumber the number for the writer's next state file
     */
    record Result(Map<Long, BitSet> done, List<StateFile> files, long nextNumber) {
    }

    private StateScan() {
    }

    /** {@code byId}: the messages found in the segments; records naming other ids are ignored. */
    static Result run(Path stateDir, SpoolScan.Mode mode, Consumer<String> log, LongFunction<QueueEntry> byId)
            throws IOException {
        Map<Long, BitSet> done = new HashMap<>();
        List<StateFile> files = new ArrayList<>();
        List<Long> numbers = SpoolLayout.listFiles(stateDir, SpoolLayout.STATE_SUFFIX);
        for (long number : numbers) {
            Path file = SpoolLayout.stateFile(stateDir, number);
            Set<Long> segments = new HashSet<>();
            try {
                long end = readFile(file, byId, done, segments);
                if (mode == SpoolScan.Mode.RECOVER) {
                    // Records a killed writer left in the page cache become durable before recovery
                    // deletes a segment because of them.
                    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                        if (end < channel.size()) {
                            log.accept("info: truncating state file " + file + " to " + end
                                    + " bytes (unfinished append)");
                            channel.truncate(end);
                        }
                        channel.force(false);
                    }
                }
            } catch (NoSuchFileException gone) {
                if (mode == SpoolScan.Mode.RECOVER) {
                    throw gone;
                }
                continue; // deleted while we looked: its messages were finished
            }
            files.add(new StateFile(number, segments));
        }
        long next = numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1) + 1;
        return new Result(done, files, next);
    }

    /** Applies the file's good records; returns where they end. */
    private static long readFile(Path file, LongFunction<QueueEntry> byId, Map<Long, BitSet> done, Set<Long> segments)
            throws IOException {
        CRC32C crc = new CRC32C();
        long offset = 0;
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file), READ_BUFFER_BYTES);
             DataInputStream in = new DataInputStream(new CheckedInputStream(raw, crc))) {
            while (true) {
                crc.reset();
                int magic;
                try {
                    magic = in.readInt();
                } catch (EOFException end) {
                    return offset;
                }
                long id = in.readLong();
                int count = in.readInt();
                if (magic != StateFormat.DONE_MAGIC || count < 1 || count > StateFormat.MAX_INDEXES) {
                    return offset;
                }
                int[] indexes = new int[count];
                for (int i = 0; i < count; i++) {
                    indexes[i] = in.readInt();
                }
                int expected = (int) crc.getValue();
                if (in.readInt() != expected) {
                    return offset;
                }
                offset += StateFormat.recordBytes(count);
                QueueEntry entry = byId.apply(id);
                if (entry != null) {
                    segments.add(entry.segment());
                    BitSet finished = done.computeIfAbsent(id, k -> new BitSet());
                    for (int index : indexes) {
                        if (index >= 0 && index < entry.recipients().size()) {
                            finished.set(index);
                        }
                    }
                }
            }
        } catch (EOFException torn) {
            return offset;
        }
    }
}
