package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Invariant 3: messages finishing together share one fsync. */
class GroupCommitTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 500;
    private static final int BODY_BYTES = 4096;

    @TempDir
    Path queue;

    @Test
    void concurrentAcceptsShareFsyncs() throws Exception {
        AtomicInteger succeeded = new AtomicInteger();
        List<Throwable> errors = new ArrayList<>();
        CountDownLatch answered = new CountDownLatch(THREADS * PER_THREAD);
        List<ByteBuf> bodies = new ArrayList<>();
        SpoolStats stats;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                List<ByteBuf> mine = new ArrayList<>();
                for (int i = 0; i < PER_THREAD; i++) {
                    mine.add(Unpooled.directBuffer(BODY_BYTES).writeZero(BODY_BYTES));
                }
                bodies.addAll(mine);
                int thread = t;
                Thread sender = new Thread(() -> {
                    SpoolWriterTest.awaitQuietly(go);
                    for (int i = 0; i < PER_THREAD; i++) {
                        writer.accept(SpoolFixtures.envelope(thread * PER_THREAD + i), mine.get(i)).subscribe(
                                m -> {
                                    succeeded.incrementAndGet();
                                    answered.countDown();
                                },
                                e -> {
                                    synchronized (errors) {
                                        errors.add(e);
                                    }
                                    answered.countDown();
                                });
                    }
                });
                senders.add(sender);
                sender.start();
            }
            go.countDown();
            assertThat(answered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            stats = writer.stats();
        }
        assertThat(errors).isEmpty();
        assertThat(succeeded).hasValue(THREADS * PER_THREAD);
        assertThat(stats.accepted()).isEqualTo(THREADS * PER_THREAD);
        assertThat(stats.bytes()).isEqualTo((long) THREADS * PER_THREAD * BODY_BYTES);
        assertThat(stats.flushes())
                .as("fsyncs %d for %d messages (%.1f messages per fsync)", stats.flushes(), stats.accepted(),
                        (double) stats.accepted() / stats.flushes())
                .isPositive()
                .isLessThan(stats.accepted());
        assertThat(bodies).allSatisfy(b -> assertThat(b.refCnt()).isZero());
    }
}
