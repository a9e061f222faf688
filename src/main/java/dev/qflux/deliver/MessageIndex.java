package dev.qflux.deliver;

import dev.qflux.spool.QueueEntry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What delivery needs of a queued message beyond the scheduler's index: its sender and where
 * its body is in the spool. Entries go when the message is finished.
 */
final class MessageIndex {
    private final ConcurrentHashMap<Long, QueueEntry> entries = new ConcurrentHashMap<>();

    void put(QueueEntry entry) {
        entries.put(entry.id(), entry);
    }

    QueueEntry get(long id) {
        return entries.get(id);
    }

    void remove(long id) {
        entries.remove(id);
    }

    int size() {
        return entries.size();
    }
}
