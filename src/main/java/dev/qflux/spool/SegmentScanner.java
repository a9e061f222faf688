package dev.qflux.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment file through a read-ahead window, so a scan costs about one
 * read per window of small messages rather than several per message. One instance per scan.
 */
final class SegmentScanner {
    /** Read-ahead window: many small records per read, and the chunk size for summing bodies. */
    static final int WINDOW_BYTES = 256 << 10;
    /** Distinct senders shared per scan; past it, further senders are kept as they are. */
    static final int SHARED_SENDERS = 100_000;

    private final ByteBuffer window = ByteBuffer.allocateDirect(WINDOW_BYTES);
    private final CRC32C crc = new CRC32C();
    /** Equal senders share one String (recovered messages may wait long). */
    private final SharedStrings senders = new SharedStrings(SHARED_SENDERS);
    private FileChannel channel;
    private long windowStart;
    private int windowFill;

    /** Where a segment's valid records end, and whether something unreadable stopped the scan there. */
    record Extent(long end, int records, boolean damaged) {
    }

    /** The segment header, or null when it is missing, torn or damaged. */
    RecordFormat.SegmentHeader readHeader(FileChannel file) throws IOException {
        use(file);
        int at = ensure(0, RecordFormat.SEGMENT_HEADER_BYTES);
        return at < 0 ? null : RecordFormat.readSegmentHeader(window, at, crc);
    }

    /**
     * Appends the valid records between the segment header and {@code limit} to {@code out}, in
     * file order, stopping at the first one that is torn, damaged or fails its CRC. Bodies are
     * read and summed only when {@code verifyBodies}; otherwise they are skipped unread and only
     * the header and envelope are checked for sanity.
     */
    Extent scan(FileChannel file, long segment, long limit, boolean verifyBodies, List<QueueEntry> out)
            throws IOException {
        use(file);
        long offset = RecordFormat.SEGMENT_HEADER_BYTES;
        int records = 0;
        while (offset < limit) {
            QueueEntry entry = readRecord(segment, offset, limit, verifyBodies);
            if (entry == null) {
                return new Extent(offset, records, true);
            }
            out.add(entry);
            records++;
            offset = entry.bodyOffset() + entry.bytes();
        }
        return new Extent(offset, records, false);
    }

    private QueueEntry readRecord(long segment, long offset, long limit, boolean verify) throws IOException {
        if (limit - offset < RecordFormat.RECORD_HEADER_BYTES) {
            return null;
        }
        int at = ensure(offset, RecordFormat.RECORD_HEADER_BYTES);
        if (at < 0 || window.getInt(at) != RecordFormat.RECORD_MAGIC
                || window.getInt(at + RecordFormat.R_VERSION) != RecordFormat.VERSION) {
            return null;
        }
        long id = window.getLong(at + RecordFormat.R_ID);
        long birth = window.getLong(at + RecordFormat.R_BIRTH);
        int envelopeLength = window.getInt(at + RecordFormat.R_ENVELOPE_LENGTH);
        long bodyLength = window.getLong(at + RecordFormat.R_BODY_LENGTH);
        int storedCrc = window.getInt(at + RecordFormat.R_CRC);
        long envelopeStart = offset + RecordFormat.RECORD_HEADER_BYTES;
        if (id <= 0 || envelopeLength < RecordFormat.MIN_ENVELOPE_BYTES
                || envelopeLength > RecordFormat.MAX_ENVELOPE_BYTES
                || bodyLength < 0 || bodyLength > RecordFormat.MAX_BODY_BYTES
                || envelopeStart + envelopeLength + bodyLength > limit) {
            return null;
        }
        crc.reset();
        RecordFormat.update(crc, window, at, at + RecordFormat.R_CRC);

        Envelope envelope;
        if (envelopeLength <= WINDOW_BYTES) {
            int e = ensure(envelopeStart, envelopeLength);
            if (e < 0) {
                return null;
            }
            envelope = RecordFormat.decodeEnvelope(window, e, envelopeLength);
            RecordFormat.update(crc, window, e, e + envelopeLength);
        } else {
            ByteBuffer big = ByteBuffer.allocate(envelopeLength);
            if (!readFully(big, envelopeStart)) {
                return null;
            }
            envelope = RecordFormat.decodeEnvelope(big, 0, envelopeLength);
            RecordFormat.update(crc, big, 0, envelopeLength);
        }
        if (envelope == null) {
            return null;
        }
        long bodyStart = envelopeStart + envelopeLength;
        if (verify && !sumBody(bodyStart, bodyLength, storedCrc)) {
            return null;
        }
        return new QueueEntry(id, birth, bodyLength, senders.share(envelope.sender()), envelope.recipients(), segment,
                bodyStart);
    }

    private boolean sumBody(long start, long length, int storedCrc) throws IOException {
        long end = start + length;
        for (long at = start; at < end; ) {
            int chunk = (int) Math.min(WINDOW_BYTES, end - at);
            int w = ensure(at, chunk);
            if (w < 0) {
                return false;
            }
            RecordFormat.update(crc, window, w, w + chunk);
            at += chunk;
        }
        return (int) crc.getValue() == storedCrc;
    }

    private void use(FileChannel file) {
        if (channel != file) {
            channel = file;
            windowFill = 0;
            windowStart = 0;
        }
    }

    /**
     * Makes [offset, offset + length) available in the window ({@code length <= WINDOW_BYTES}) and
     * returns its index there, or -1 when the file ends first.
     */
    private int ensure(long offset, int length) throws IOException {
        if (offset >= windowStart && offset + length <= windowStart + windowFill) {
            return (int) (offset - windowStart);
        }
        window.clear();
        windowStart = offset;
        while (window.hasRemaining()) {
            int n = channel.read(window, offset + window.position());
            if (n < 0) {
                break;
            }
        }
        windowFill = window.position();
        window.clear();
        return windowFill >= length ? 0 : -1;
    }

    private boolean readFully(ByteBuffer into, long offset) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into, offset + into.position()) < 0) {
                return false;
            }
        }
        return true;
    }
}
