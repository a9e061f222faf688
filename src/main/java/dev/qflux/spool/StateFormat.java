package dev.qflux.spool;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The bytes of a delivery-state file (docs/spool.md, "Delivery state"). Big-endian, no file
 * header: a state file is a plain sequence of DONE records.
 *
 * <pre>
 * DONE record
 *   0 magic "QFD1"
 *   4 message id u64
 *  12 count n u32 (at least 1)
 *  16 n recipient indexes u32, each an index into the message's envelope recipients
 *  16+4n CRC32C u32 over everything before it
 * </pre>
 */
final class StateFormat {
    static final int DONE_MAGIC = 0x51464431; // "QFD1"
    /** Magic, id, count and CRC: a record's bytes besides its indexes. */
    static final int DONE_FIXED_BYTES = 20;
    static final int INDEX_BYTES = 4;
    /**
     * Read-side sanity limit: an envelope holds at most MAX_ENVELOPE_BYTES and a recipient takes
     * at least two of them ("T" and NUL), so no message has more recipients than this.
     */
    static final int MAX_INDEXES = RecordFormat.MAX_ENVELOPE_BYTES / 2;

    private StateFormat() {
    }

    static int recordBytes(int indexes) {
        return DONE_FIXED_BYTES + INDEX_BYTES * indexes;
    }

    /** Writes one DONE record at {@code dst}'s position and advances it. */
    static void putDone(ByteBuffer dst, long id, int[] indexes, CRC32C crc) {
        int start = dst.position();
        dst.putInt(DONE_MAGIC).putLong(id).putInt(indexes.length);
        for (int index : indexes) {
            dst.putInt(index);
        }
        crc.reset();
        RecordFormat.update(crc, dst, start, dst.position());
        dst.putInt((int) crc.getValue());
    }
}
