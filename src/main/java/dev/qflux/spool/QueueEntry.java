package dev.qflux.spool;

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
 */
public record QueueEntry(long id, long birthMillis, long bytes, String sender, List<String> recipients,
                         long segment, long bodyOffset) {
    public QueueEntry {
        recipients = List.copyOf(recipients);
    }
}
