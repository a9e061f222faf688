package dev.qflux.deliver;

import dev.qflux.spool.SharedStrings;
import io.netty.util.collection.LongObjectHashMap;

/**
 * What delivery needs of a queued message beyond the scheduler's own entry: its sender and where
 * its body is in the spool. Entries go when the message is finished.
 *
 * <p>Kept small because a queue can hold a million messages (design.md invariant 5): a primitive
 * map (no boxed keys) and a 40-byte entry whose sender is shared among messages from the same
 * sender, about 64 bytes per message in all. Access from any thread; each call holds the lock for
 * a map operation only.
 */
final class MessageIndex {
    /** Where a message lives and who sent it. */
    record Entry(long segment, long bodyOffset, long bytes, String sender) {
    }

    /** Distinct senders shared; past it, further senders are kept as they come. */
    static final int SHARED_SENDERS = 100_000;

    private final LongObjectHashMap<Entry> entries = new LongObjectHashMap<>(1024, 0.75f);
    private final SharedStrings senders = new SharedStrings(SHARED_SENDERS);

    synchronized void put(long id, long segment, long bodyOffset, long bytes, String sender) {
        entries.put(id, new Entry(segment, bodyOffset, bytes, senders.share(sender)));
    }

    synchronized Entry get(long id) {
        return entries.get(id);
    }

    synchronized void remove(long id) {
        entries.remove(id);
        if (entries.isEmpty()) {
            senders.clear(); // an empty queue is a good moment to forget senders seen long ago
        }
    }


    synchronized int size() {
        return entries.size();
    }
}
