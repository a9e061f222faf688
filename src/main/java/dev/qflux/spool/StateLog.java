package dev.qflux.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Appends DONE records to the current state file and remembers, for every state file, which
 * segments hold the messages its records name; a file naming only deleted segments is useless and
 * is deleted. Writer thread only. Like segments, every open starts a new file, and a file is
 * closed once it is longer than {@code stateFileBytes} or after a failed write.
 */
final class StateLog implements AutoCloseable {
    /** Initial room for one batch of records; grows when a batch needs more. */
    private static final int INITIAL_BUFFER_BYTES = 64 << 10;

    private final Path stateDir;
    private final long stateFileBytes;
    private final Consumer<String> log;
    private final CRC32C crc = new CRC32C();
    /** Every state file on disk (the current one included), with the segments its records name. */
    private final Map<Long, Set<Long>> mentions = new TreeMap<>();
    private ByteBuffer buffer = ByteBuffer.allocateDirect(INITIAL_BUFFER_BYTES);
    private FileChannel channel;
    private long current;
    private long position;
    private boolean directorySyncPending;
    private long nextNumber;

    StateLog(Path stateDir, long stateFileBytes, Consumer<String> log, List<StateScan.StateFile> recovered,
             long nextNumber) {
        this.stateDir = stateDir;
        this.stateFileBytes = stateFileBytes;
        this.log = log;
        this.nextNumber = nextNumber;
        for (StateScan.StateFile f : recovered) {
            mentions.put(f.number(), new HashSet<>(f.segments()));
        }
    }

    /** Appends one record per request (segment already set). Nothing is durable until {@link #force()}. */
    void write(List<DoneRequest> batch) throws IOException {
        if (channel == null) {
            create();
        }
        Set<Long> named = mentions.get(current);
        int bytes = 0;
        for (DoneRequest r : batch) {
            bytes += StateFormat.recordBytes(r.indexes.length);
            named.add(r.segment); // before the write: a failed write may still leave the record on disk
        }
        if (buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(Math.max(bytes, 2 * buffer.capacity()));
        }
        buffer.clear();
        for (DoneRequest r : batch) {
            StateFormat.putDone(buffer, r.id, r.indexes, crc);
        }
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        position += bytes;
    }

    void force() throws IOException {
        channel.force(false);
        if (directorySyncPending) {
            SpoolLayout.syncDirectory(stateDir);
            directorySyncPending = false;
        }
    }

    /** After a durable batch: close a long file, so the next batch starts a new one. */
    void rollIfFull() {
        if (position >= stateFileBytes) {
            closeChannel();
        }
    }

    /**
     * After a failed write: never append behind a record that may be torn (the scan stops at the
     * first bad record), so later records go to a new file.
     */
    void abandonCurrent() {
        closeChannel();
    }

    /**
     * Forgets {@code deletedSegments} and deletes every state file other than the current one that
     * names no remaining segment. The caller has made the segments' deletion durable first, so a
     * crash can never leave a segment without the DONE records that finished it.
     */
    void dropFilesOf(Set<Long> deletedSegments) throws IOException {
        boolean deleted = false;
        for (Iterator<Map.Entry<Long, Set<Long>>> it = mentions.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Set<Long>> file = it.next();
            file.getValue().removeAll(deletedSegments);
            if (file.getValue().isEmpty() && !(channel != null && file.getKey() == current)) {
                Files.deleteIfExists(SpoolLayout.stateFile(stateDir, file.getKey()));
                it.remove();
                deleted = true;
            }
        }
        if (deleted) {
            SpoolLayout.syncDirectory(stateDir);
        }
    }

    int files() {
        return mentions.size();
    }

    @Override
    public void close() {
        closeChannel();
    }

    private void create() throws IOException {
        long number = nextNumber++;
        Path file = SpoolLayout.stateFile(stateDir, number);
        channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        current = number;
        position = 0;
        directorySyncPending = true;
        mentions.put(number, new HashSet<>());
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.accept("warning: closing state file " + current + ": " + e);
            }
            channel = null;
        }
    }
}
