package dev.qflux.spool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * Tells delivery of each message once it is durable. Every subscriber has its own bounded buffer;
 * the writer never waits for a subscriber. A subscriber that falls {@link #MAX_BEHIND} entries
 * behind gets, after the entries it had buffered, an overflow error
 * ({@code reactor.core.Exceptions.isOverflow}) instead of losing entries silently: it resubscribes, then re-reads the queue ({@link SpoolReader#scan}) and skips
 * the ids it already knows. Nothing is lost either way, since every message is on disk.
 */
final class AcceptedFeed {
    /**
     * About a second of accepts at the writer's measured peak (75,000-95,000 messages/s, see
     * docs/spool.md) at roughly 200 bytes of heap per entry: a few MiB per slow subscriber at most.
     */
    static final int MAX_BEHIND = 1 << 16;

    private final List<FluxSink<QueueEntry>> sinks = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    Flux<QueueEntry> flux() {
        return Flux.<QueueEntry>create(sink -> {
            sinks.add(sink);
            sink.onDispose(() -> sinks.remove(sink));
            if (closed) {
                sink.complete(); // close() may have run before the add
            }
        }, FluxSink.OverflowStrategy.IGNORE).onBackpressureBuffer(MAX_BEHIND, lost -> { }, BufferOverflowStrategy.ERROR);
    }

    /** Writer thread: one entry, after its message was answered. */
    void publish(QueueEntry entry) {
        for (FluxSink<QueueEntry> sink : sinks) {
            try {
                sink.next(entry);
            } catch (RuntimeException subscriberFailed) {
                sink.error(subscriberFailed); // that subscriber's problem, not the writer's
            }
        }
    }

    void close() {
        closed = true;
        for (FluxSink<QueueEntry> sink : sinks) {
            sink.complete();
        }
    }
}
