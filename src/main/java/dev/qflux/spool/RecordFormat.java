package dev.qflux.spool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a segment file (docs/spool.md, "Files and records"). Integers are big-endian.
 *
 * <pre>
 * segment header (once, at offset 0)      message record (repeated)
 *   0 magic "QFS1"                          0 magic "QFM1"
 *   4 version u32                           4 version u32
 *   8 segment number u64                    8 message id u64
 *  16 first id it may hold u64             16 birth, epoch millis u64
 *  24 previous segment number u64          24 envelope length u32
 *  32 previous segment's committed         28 body length u64
 *     length u64                           36 CRC32C u32 over bytes 0-35, envelope, body
 *  40 CRC32C u32 over bytes 0-39           40 envelope: F&lt;sender&gt;\0T&lt;rcpt&gt;\0...\0
 *  44                                         then the body, exactly as received
 * </pre>
 */
final class RecordFormat {
    static final int SEGMENT_MAGIC = 0x51465331; // "QFS1"
    static final int RECORD_MAGIC = 0x51464D31; // "QFM1"
    static final int VERSION = 1;

    static final int S_VERSION = 4;
    static final int S_SEGMENT = 8;
    static final int S_FIRST_ID = 16;
    static final int S_PREVIOUS_SEGMENT = 24;
    static final int S_PREVIOUS_LENGTH = 32;
    static final int S_CRC = 40;
    static final int SEGMENT_HEADER_BYTES = 44;

    static final int R_VERSION = 4;
    static final int R_ID = 8;
    static final int R_BIRTH = 16;
    static final int R_ENVELOPE_LENGTH = 24;
    static final int R_BODY_LENGTH = 28;
    static final int R_CRC = 36;
    static final int RECORD_HEADER_BYTES = 40;

    /** "F\0" + "T\0" + "\0": the shortest envelope qmail-queue accepts (null sender, one empty recipient). */
    static final int MIN_ENVELOPE_BYTES = 5;
    /**
     * Read-side sanity limit. RFC 5321 4.5.3.1.3 caps a path at 256 octets, so 16 MiB holds over
     * 60,000 recipients; a larger length field means a damaged header, not a real envelope.
     */
    static final int MAX_ENVELOPE_BYTES = 16 << 20;
    /** A body reaches the spool as one ByteBuf, whose length is an int. */
    static final long MAX_BODY_BYTES = Integer.MAX_VALUE;

    /** No segment before this one (segment numbers start at 1). */
    static final long NO_SEGMENT = 0;

    private RecordFormat() {
    }

    /** The segment link of a valid segment header. */
    record SegmentHeader(long segment, long firstId, long previousSegment, long previousLength) {
    }

    /**
     * qmail-queue's envelope: {@code F<sender>\0T<rcpt>\0...\0}. The format cannot carry a NUL, so
     * an address holding one is refused here rather than corrupting the record.
     */
    static byte[] encodeEnvelope(Envelope envelope) {
        List<byte[]> parts = new ArrayList<>(envelope.recipients().size() + 1);
        int length = 1;
        for (int i = -1; i < envelope.recipients().size(); i++) {
            String address = i < 0 ? envelope.sender() : envelope.recipients().get(i);
            if (address.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("address contains NUL: " + address.replace('\0', '_'));
            }
            byte[] bytes = address.getBytes(StandardCharsets.UTF_8);
            parts.add(bytes);
            length += bytes.length + 2;
        }
        if (length > MAX_ENVELOPE_BYTES) {
            throw new IllegalArgumentException("envelope of " + length + " bytes exceeds " + MAX_ENVELOPE_BYTES);
        }
        byte[] out = new byte[length];
        int at = 0;
        for (int i = 0; i < parts.size(); i++) {
            out[at++] = (byte) (i == 0 ? 'F' : 'T');
            byte[] part = parts.get(i);
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
            out[at++] = 0;
        }
        out[at] = 0;
        return out;
    }

    /** Parses {@code length} bytes at {@code buf}'s absolute {@code index}; null when malformed. */
    static Envelope decodeEnvelope(ByteBuffer buf, int index, int length) {
        int end = index + length;
        if (length < MIN_ENVELOPE_BYTES || buf.get(end - 1) != 0 || buf.get(index) != 'F') {
            return null;
        }
        String sender = null;
        List<String> recipients = new ArrayList<>(2);
        int at = index;
        while (at < end - 1) {
            byte tag = buf.get(at);
            if (tag != (sender == null ? 'F' : 'T')) {
                return null;
            }
            int nul = at + 1;
            while (buf.get(nul) != 0) {
                nul++;
            }
            String address = utf8(buf, at + 1, nul - at - 1);
            if (sender == null) {
                sender = address;
            } else {
                recipients.add(address);
            }
            at = nul + 1;
        }
        if (at != end - 1 || recipients.isEmpty()) {
            return null;
        }
        return new Envelope(sender, recipients);
    }

    private static String utf8(ByteBuffer buf, int index, int length) {
        byte[] bytes = new byte[length];
        buf.get(index, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Writes a segment header at {@code dst}'s position and advances it. */
    static void putSegmentHeader(ByteBuffer dst, SegmentHeader header, CRC32C crc) {
        int start = dst.position();
        dst.putInt(SEGMENT_MAGIC).putInt(VERSION).putLong(header.segment()).putLong(header.firstId())
                .putLong(header.previousSegment()).putLong(header.previousLength());
        crc.reset();
        update(crc, dst, start, start + S_CRC);
        dst.putInt((int) crc.getValue());
    }

    /** The segment header at absolute {@code index}, or null when it is torn or damaged. */
    static SegmentHeader readSegmentHeader(ByteBuffer buf, int index, CRC32C crc) {
        if (buf.getInt(index) != SEGMENT_MAGIC || buf.getInt(index + S_VERSION) != VERSION) {
            return null;
        }
        crc.reset();
        update(crc, buf, index, index + S_CRC);
        if ((int) crc.getValue() != buf.getInt(index + S_CRC)) {
            return null;
        }
        return new SegmentHeader(buf.getLong(index + S_SEGMENT), buf.getLong(index + S_FIRST_ID),
                buf.getLong(index + S_PREVIOUS_SEGMENT), buf.getLong(index + S_PREVIOUS_LENGTH));
    }

    /**
     * Writes a record header at {@code dst}'s position with a zero CRC and advances it; the CRC
     * goes in with {@link #putRecordCrc} once the body has been summed.
     */
    static void putRecordHeader(ByteBuffer dst, long id, long birthMillis, int envelopeLength, long bodyLength) {
        dst.putInt(RECORD_MAGIC).putInt(VERSION).putLong(id).putLong(birthMillis)
                .putInt(envelopeLength).putLong(bodyLength).putInt(0);
    }

    static void putRecordCrc(ByteBuffer dst, int recordStart, int crc) {
        dst.putInt(recordStart + R_CRC, crc);
    }

    /** Adds bytes [from, to) of {@code buf} to {@code crc}, leaving the buffer's position and limit as they were. */
    static void update(CRC32C crc, ByteBuffer buf, int from, int to) {
        int position = buf.position();
        int limit = buf.limit();
        buf.limit(to).position(from);
        crc.update(buf);
        buf.limit(limit).position(position);
    }
}
