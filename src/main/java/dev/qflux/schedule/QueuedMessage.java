package dev.qflux.schedule;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The scheduler's index entry for one queued message: only what scheduling needs, never the body
 * (design.md invariant 5). Confined to the scheduler's worker.
 *
 * <p>Size estimate (64-bit JVM, compressed oops, 12-byte headers): this object 12 + 5 longs
 * (id, birth, two next times, done bits) + 6 ints (heap slot, count, two running counts, flags,
 * attempts) + 3 references = 88 bytes; the recipients as one UTF-8 array, NUL-separated (16 + the
 * addresses, ~40 for one typical address); a slot in the timer heap 4. About 130 bytes for a
 * message with one recipient. {@code SchedulerMemoryTest} measures it.
 */
final class QueuedMessage {

    /** No attempt scheduled on that channel. */
    static final long NEVER = Long.MAX_VALUE;
    /** SMTP addresses cannot contain NUL (RFC 5321 4.1.2), so it separates them. */
    private static final byte SEPARATOR = 0;

    final long id;
    final long birthMillis;
    /** All recipients, UTF-8, separated by NUL. */
    private final byte[] recipients;
    private final int recipientCount;
    /** Done bits of the first 64 recipients: delivered or failed, and recorded. */
    private long doneLow;
    /** Done bits of recipients 64 and later; null for the usual message with at most 64. */
    private final long[] doneHigh;
    /**
     * When each channel is next due, or {@link #NEVER} (nothing pending there). While a round runs
     * it holds the retry time computed when the round started (qmail-send computes
     * {@code nextretry} as it opens the job), used if the round leaves a recipient deferred.
     */
    long nextLocal = NEVER;
    long nextRemote = NEVER;
    /** Position in {@link TimerHeap}, -1 when not in it. */
    int heapIndex = -1;
    /** Jobs of the running round per channel, not yet finished. */
    int runningLocal;
    int runningRemote;
    /** Scheduler's per-round flags (a deferral seen in the running round, per channel). */
    int flags;
    /** Rounds started per channel: local in the low 16 bits, remote in the high 16, saturating. */
    private int attempts;
    /** Failures recorded since the last bounce event; null when there are none. */
    List<DeliveryEvent.FailedRecipient> failures;

    QueuedMessage(long id, long birthMillis, List<String> recipients, BitSet done) {
        this.id = id;
        this.birthMillis = birthMillis;
        this.recipientCount = recipients.size();
        this.recipients = join(recipients);
        this.doneHigh = recipientCount > 64 ? new long[(recipientCount - 1) >>> 6] : null;
        for (int i = done.nextSetBit(0); i >= 0 && i < recipientCount; i = done.nextSetBit(i + 1)) {
            markDone(i);
        }
    }

    int recipientCount() {
        return recipientCount;
    }

    boolean isDone(int index) {
        long word = index < 64 ? doneLow : doneHigh[(index >>> 6) - 1];
        return (word & (1L << index)) != 0;
    }

    void markDone(int index) {
        if (index < 64) {
            doneLow |= 1L << index;
        } else {
            doneHigh[(index >>> 6) - 1] |= 1L << index;
        }
    }

    boolean allDone() {
        for (int i = 0; i < recipientCount; i++) {
            if (!isDone(i)) {
                return false;
            }
        }
        return true;
    }

    /** A recipient failed for good: it goes into the bounce the message's next settle asks for. */
    void failed(int index, String recipient, String reason) {
        if (failures == null) {
            failures = new ArrayList<>();
        }
        failures.add(new DeliveryEvent.FailedRecipient(index, recipient, reason));
    }

    boolean idle() {
        return runningLocal == 0 && runningRemote == 0;
    }

    /** The earlier next time of the channels without a running round: the key in the timer heap. */
    long due() {
        return Math.min(runningLocal == 0 ? nextLocal : NEVER, runningRemote == 0 ? nextRemote : NEVER);
    }

    /** Counts a new round on a channel and returns its number (1 for the first). */
    int startRound(boolean local) {
        int shift = local ? 0 : 16;
        int n = (attempts >>> shift) & 0xFFFF;
        if (n < 0xFFFF) {
            n++;
            attempts = (attempts & ~(0xFFFF << shift)) | (n << shift);
        }
        return n;
    }

    /** The recipients decoded; called once per round, not kept. */
    List<String> recipients() {
        List<String> list = new ArrayList<>(recipientCount);
        int start = 0;
        for (int i = 0; i <= recipients.length; i++) {
            if (i == recipients.length || recipients[i] == SEPARATOR) {
                list.add(new String(recipients, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return list;
    }

    private static byte[] join(List<String> recipients) {
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message needs a recipient");
        }
        StringBuilder joined = new StringBuilder();
        for (String r : recipients) {
            if (r.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("NUL in a recipient");
            }
            if (joined.length() > 0) {
                joined.append('\0');
            }
            joined.append(r);
        }
        return joined.toString().getBytes(StandardCharsets.UTF_8);
    }
}
