package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** Delivery hears of every durable message exactly once, in order, and an overrun subscriber is told. */
class AcceptedFeedTest {
    @TempDir
    Path queue;

    @Test
    void everyAcceptedMessageIsEmittedOnceInOrderAsRecoveryWouldSeeIt() throws Exception {
        int threads = 4;
        int perThread = 100;
        List<QueueEntry> seen;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults().withSegmentBytes(32 << 10))) {
            Flux<QueueEntry> feed = writer.accepted().take(threads * perThread).cache();
            feed.subscribe();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                work.add(pool.submit(() -> RecordDoneTest.acceptAll(writer, first, first + perThread)));
            }
            for (Future<?> w : work) {
                w.get();
            }
            pool.shutdown();
            seen = feed.collectList().block(WAIT);
        }
        assertThat(seen).hasSize(threads * perThread);
        assertThat(seen).extracting(QueueEntry::id).isSorted().doesNotHaveDuplicates();
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(seen).containsExactlyElementsOf(reopened.recovered());
        }
    }

    @Test
    void theFeedCompletesWhenTheSpoolCloses() throws Exception {
        SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults());
        StepVerifier.create(writer.accepted())
                .then(() -> RecordDoneTest.acceptAll(writer, 0, 1))
                .expectNextMatches(e -> SpoolFixtures.indexOf(e) == 0)
                .then(writer::close)
                .verifyComplete();
    }

    @Test
    void aSubscriberThatFallsTooFarBehindGetsAnOverflowErrorNotAGap() {
        AcceptedFeed feed = new AcceptedFeed();
        QueueEntry entry = new QueueEntry(1, 0, 0, "", List.of("r@example.org"), 1, 100);
        StepVerifier.create(feed.flux(), 0)
                .then(() -> {
                    for (int i = 0; i <= AcceptedFeed.MAX_BEHIND; i++) {
                        feed.publish(entry);
                    }
                })
                .thenRequest(Long.MAX_VALUE)
                .expectNextCount(AcceptedFeed.MAX_BEHIND) // what was buffered still arrives, then the error
                .expectErrorMatches(Exceptions::isOverflow)
                .verify(WAIT);
    }
}
