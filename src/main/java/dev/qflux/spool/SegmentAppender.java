package dev.qflux.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Appends batches of records to the current segment file. Writer thread only.
 *
 * <p>Headers and envelopes of a whole batch are laid out in one reused direct buffer and written
 * together with the bodies' own direct buffers in gathering writes, so a body is never copied
 * into the heap. A segment is created lazily by the first batch after open or after a roll; its
 * directory entry is fsynced with that batch.
 */
final class SegmentAppender implements AutoCloseable {
    /** Initial room for a batch's headers and envelopes; grows when a batch needs more. */
    private static final int INITIAL_META_BYTES = 64 << 10;
    /** Initial slots for a batch's gathering write (a header and one or more body buffers per message). */
    private static final int INITIAL_GATHER = 256;

    private final Path segmentDir;
    private final SpoolSeams.ChannelOpener opener;
    private final Consumer<String> log;
    private final CRC32C crc = new CRC32C();
    private final ByteBuffer segmentHeader = ByteBuffer.allocateDirect(RecordFormat.SEGMENT_HEADER_BYTES);
    private ByteBuffer meta = ByteBuffer.allocateDirect(INITIAL_META_BYTES);
    private ByteBuffer[] gather = new ByteBuffer[INITIAL_GATHER];

    private FileChannel channel;
    private long segment;
    private long position;
    private boolean directorySyncPending;
    private long nextSegment;
    /** The link written into the next segment's header: where the previous one's records end. */
    private long previousSegment;
    private long previousLength;

    SegmentAppender(Path segmentDir, SpoolSeams.ChannelOpener opener, Consumer<String> log,
                    long nextSegment, long previousSegment, long previousLength) {
        this.segmentDir = segmentDir;
        this.opener = opener;
        this.log = log;
        this.nextSegment = nextSegment;
        this.previousSegment = previousSegment;
        this.previousLength = previousLength;
    }

    /** Opens a segment if none is open; returns the offset the next batch starts at. */
    long begin(long nextId) throws IOException {
        if (channel == null) {
            create(nextId);
        }
        return position;
    }

    /**
     * Writes the batch's records at the end of the segment, numbering them from {@code firstId}.
     * Nothing is durable until {@link #force()}.
     */
    void write(List<PendingMessage> batch, long firstId, long birthMillis) throws IOException {
        int metaBytes = 0;
        for (PendingMessage m : batch) {
            metaBytes += RecordFormat.RECORD_HEADER_BYTES + m.envelope.length;
        }
        if (meta.capacity() < metaBytes) {
            meta = ByteBuffer.allocateDirect(grow(meta.capacity(), metaBytes));
        }
        meta.clear();
        int count = 0;
        long total = 0;
        long id = firstId;
        try {
            for (PendingMessage m : batch) {
                int start = meta.position();
                RecordFormat.putRecordHeader(meta, id++, birthMillis, m.envelope.length, m.bodyLength);
                meta.put(m.envelope);
                ByteBuffer[] body = m.body.nioBuffers(m.body.readerIndex(), m.bodyLength);
                if (gather.length < count + 1 + body.length) {
                    gather = Arrays.copyOf(gather, grow(gather.length, count + 1 + body.length));
                }
                crc.reset();
                RecordFormat.update(crc, meta, start, start + RecordFormat.R_CRC);
                RecordFormat.update(crc, meta, start + RecordFormat.RECORD_HEADER_BYTES, meta.position());
                for (ByteBuffer b : body) {
                    RecordFormat.update(crc, b, b.position(), b.limit());
                }
                RecordFormat.putRecordCrc(meta, start, (int) crc.getValue());
                m.segment = segment;
                m.bodyOffset = position + total + meta.position() - start;
                gather[count++] = meta.slice(start, meta.position() - start);
                for (ByteBuffer b : body) {
                    gather[count++] = b;
                }
                total += meta.position() - start + (long) m.bodyLength;
            }
            writeFully(channel, gather, count, total);
        } finally {
            Arrays.fill(gather, 0, count, null); // do not keep bodies reachable
        }
        position += total;
    }

    /** Makes everything written so far durable: data (fdatasync) and, for a new file, its name. */
    void force() throws IOException {
        channel.force(false);
        if (directorySyncPending) {
            SpoolLayout.syncDirectory(segmentDir);
            directorySyncPending = false;
        }
    }

    /** After a durable batch: close the segment once it is full, so the next batch starts a new one. */
    void rollIfLongerThan(long segmentBytes) {
        if (channel != null && position >= segmentBytes) {
            previousSegment = segment;
            previousLength = position;
            closeChannel();
        }
    }

    /**
     * Takes a failed batch back out: truncate to {@code batchStart} and fsync. If the file cannot
     * be truncated, start a new segment whose header records {@code batchStart} as the end of this
     * one's records, and make that header durable; recovery then cuts the failed tail off. Throws
     * only when neither worked: the writer must stop taking mail. Returns true when it started a
     * new segment, which must then outlive this process (its header is what cuts the batch off).
     */
    boolean undo(long batchStart, long nextId) throws IOException {
        try {
            channel.truncate(batchStart);
            channel.force(false);
            channel.position(batchStart);
            position = batchStart;
            return false;
        } catch (IOException e) {
            log.accept("warning: cannot truncate segment " + SpoolLayout.segmentFile(segmentDir, segment)
                    + " back to " + batchStart + ": " + e + "; starting a new segment");
        }
        previousSegment = segment;
        previousLength = batchStart;
        closeChannel();
        create(nextId);
        force();
        return true;
    }

    /** The segment being appended to (valid after {@link #begin}). */
    long segment() {
        return segment;
    }

    @Override
    public void close() {
        closeChannel();
    }

    private void create(long nextId) throws IOException {
        long number = nextSegment++;
        Path file = SpoolLayout.segmentFile(segmentDir, number);
        FileChannel created = opener.open(file);
        try {
            segmentHeader.clear();
            RecordFormat.putSegmentHeader(segmentHeader,
                    new RecordFormat.SegmentHeader(number, nextId, previousSegment, previousLength), crc);
            segmentHeader.flip();
            writeFully(created, new ByteBuffer[] {segmentHeader}, 1, RecordFormat.SEGMENT_HEADER_BYTES);
        } catch (IOException e) {
            try (created) {
                Files.deleteIfExists(file);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        channel = created;
        segment = number;
        position = RecordFormat.SEGMENT_HEADER_BYTES;
        directorySyncPending = true;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                log.accept("warning: closing segment " + segment + ": " + e);
            }
            channel = null;
        }
    }

    private static int grow(int current, int needed) {
        return (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * current));
    }

    /** FileChannel.write may stop short (at most IOV_MAX buffers per call): loop until all is out. */
    private static void writeFully(FileChannel to, ByteBuffer[] buffers, int count, long total) throws IOException {
        int first = 0;
        long left = total;
        while (left > 0) {
            left -= to.write(buffers, first, count - first);
            while (first < count && !buffers[first].hasRemaining()) {
                first++;
            }
        }
    }
}
