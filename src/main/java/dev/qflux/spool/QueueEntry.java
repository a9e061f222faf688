package dev.qflux.spool;

import java.util.BitSet;
import java.util.List;

/**
 * One message found in the spool: what scheduling needs, plus where its body lives so delivery
 * can read it later without the body ever sitting in the heap.
 *
 * @param id          queue id, unique and increasing in order of acceptance
 * @param birthMillis when it was written, epoch millis (qmail's "birth", base of the retry schedule)
 * @param bytes       body length
 * @param sender      envelope sender, "" for the null reverse path
 * @param recipients  envelope recipients in the order given
 * @param segment     number of the segment file holding it ({@link SpoolReader#segmentFile})
 * @param bodyOffset  where the body starts in that file
 * @param done        indexes into {@code recipients} whose delivery is finished (a durable DONE
 *                    record exists); qmail's "D" lines in info/remote. The accessor returns a copy.
 */
public record QueueEntry(long id, long birthMillis, long bytes, String sender, List<String> recipients,
                         long segment, long bodyOffset, BitSet done) {
    public QueueEntry {
        recipients = List.copyOf(recipients);
        // None finished is the usual case: no set then (48 bytes a message while a queue is recovered).
        done = done.isEmpty() ? null : (BitSet) done.clone();
        if (done != null && done.length() > recipients.size()) {
            throw new IllegalArgumentException("recipient " + (done.length() - 1) + " marked done, but message "
                    + id + " has " + recipients.size());
        }
    }

    /** A message none of whose recipients is finished yet. */
    public QueueEntry(long id, long birthMillis, long bytes, String sender, List<String> recipients,
                      long segment, long bodyOffset) {
        this(id, birthMillis, bytes, sender, recipients, segment, bodyOffset, new BitSet());
    }

    @Override
    public BitSet done() {
        return done == null ? new BitSet() : (BitSet) done.clone();
    }

    /** True when recipient {@code index} is finished. No allocation. */
    public boolean isDone(int index) {
        return done != null && done.get(index);
    }

    /** True when every recipient is finished: the message leaves the queue. */
    public boolean finished() {
        return done != null && done.cardinality() == recipients.size();
    }

    QueueEntry withDone(BitSet finishedRecipients) {
        return new QueueEntry(id, birthMillis, bytes, sender, recipients, segment, bodyOffset, finishedRecipients);
    }
}
