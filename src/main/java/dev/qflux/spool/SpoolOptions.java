package dev.qflux.spool;

/**
 * How the spool writer behaves under load and near a full disk.
 *
 * @param minFreeBytes       refuse mail (452) once the queue's file system would have less free
 * @param segmentBytes       start a new segment file once the current one is this long
 * @param maxPendingMessages messages waiting for the writer before accept() refuses at once
 * @param maxBatchBytes      bytes written per fsync at most (one message may exceed it alone)
 * @param stateFileBytes     start a new delivery-state file once the current one is this long
 */
public record SpoolOptions(long minFreeBytes, long segmentBytes, int maxPendingMessages, long maxBatchBytes,
                           long stateFileBytes) {
    /**
     * Free-space floor. Postfix's smtpd refuses mail below 1.5 x message_size_limit free (10 MB
     * by default); qflux keeps a larger round floor so logs and the state log still have room.
     */
    public static final long DEFAULT_MIN_FREE_BYTES = 64L << 20;
    /** Large enough that one fsync'd file holds thousands of messages, small enough to delete soon. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L << 20;
    /**
     * Each SMTP session has at most one message waiting, so this is a ceiling on sessions
     * finishing DATA at the same instant; well above concurrencyincoming's usual values.
     */
    public static final int DEFAULT_MAX_PENDING_MESSAGES = 4096;
    /** Bounds one batch's write and the time its first message waits for the fsync. */
    public static final long DEFAULT_MAX_BATCH_BYTES = 8L << 20;
    /**
     * A DONE record is 24 bytes for one recipient, so 4 MiB holds some 170,000 of them: few files,
     * each one soon free to delete once the segments it names are gone.
     */
    public static final long DEFAULT_STATE_FILE_BYTES = 4L << 20;

    /** A batch is laid out with int offsets (ByteBuffer), so its bytes stay well inside int range. */
    public static final long MAX_BATCH_BYTES_LIMIT = 1L << 30;

    public SpoolOptions {
        if (minFreeBytes < 0 || segmentBytes <= 0 || maxPendingMessages <= 0 || maxBatchBytes <= 0
                || maxBatchBytes > MAX_BATCH_BYTES_LIMIT || stateFileBytes <= 0) {
            throw new IllegalArgumentException("spool options out of range: minFreeBytes=" + minFreeBytes
                    + " segmentBytes=" + segmentBytes + " maxPendingMessages=" + maxPendingMessages
                    + " maxBatchBytes=" + maxBatchBytes + " (at most " + MAX_BATCH_BYTES_LIMIT + ")"
                    + " stateFileBytes=" + stateFileBytes);
        }
    }

    /** The default state file size with the other four given. */
    public SpoolOptions(long minFreeBytes, long segmentBytes, int maxPendingMessages, long maxBatchBytes) {
        this(minFreeBytes, segmentBytes, maxPendingMessages, maxBatchBytes, DEFAULT_STATE_FILE_BYTES);
    }

    public static SpoolOptions defaults() {
        return new SpoolOptions(DEFAULT_MIN_FREE_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_MAX_PENDING_MESSAGES,
                DEFAULT_MAX_BATCH_BYTES, DEFAULT_STATE_FILE_BYTES);
    }

    public SpoolOptions withMinFreeBytes(long bytes) {
        return new SpoolOptions(bytes, segmentBytes, maxPendingMessages, maxBatchBytes, stateFileBytes);
    }

    public SpoolOptions withSegmentBytes(long bytes) {
        return new SpoolOptions(minFreeBytes, bytes, maxPendingMessages, maxBatchBytes, stateFileBytes);
    }

    public SpoolOptions withMaxPendingMessages(int messages) {
        return new SpoolOptions(minFreeBytes, segmentBytes, messages, maxBatchBytes, stateFileBytes);
    }

    public SpoolOptions withMaxBatchBytes(long bytes) {
        return new SpoolOptions(minFreeBytes, segmentBytes, maxPendingMessages, bytes, stateFileBytes);
    }

    public SpoolOptions withStateFileBytes(long bytes) {
        return new SpoolOptions(minFreeBytes, segmentBytes, maxPendingMessages, maxBatchBytes, bytes);
    }
}
