package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** DONE records: durable before they are answered, group-committed, applied by recovery. */
class RecordDoneTest {
    private static final int THREADS = 8;
    private static final int PER_THREAD = 200;

    @TempDir
    Path queue;

    static List<QueuedMessage> acceptAll(SpoolWriter writer, int from, int to) {
        List<Mono<QueuedMessage>> results = new ArrayList<>();
        for (int i = from; i < to; i++) {
            results.add(writer.accept(SpoolFixtures.envelope(i), SpoolFixtures.body(i)));
        }
        List<QueuedMessage> out = new ArrayList<>();
        for (Mono<QueuedMessage> r : results) {
            out.add(r.block(WAIT));
        }
        return out;
    }

    @Test
    void concurrentRecordsShareFsyncsAndAreDurableWhenAnswered() throws Exception {
        int messages = THREADS * PER_THREAD;
        List<QueuedMessage> queued;
        SpoolStats stats;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            queued = acceptAll(writer, 0, messages);
            AtomicInteger failures = new AtomicInteger();
            CountDownLatch answered = new CountDownLatch(messages);
            CountDownLatch go = new CountDownLatch(1);
            for (int t = 0; t < THREADS; t++) {
                int first = t * PER_THREAD;
                new Thread(() -> {
                    SpoolWriterTest.awaitQuietly(go);
                    for (int i = first; i < first + PER_THREAD; i++) {
                        writer.recordDone(queued.get(i).id(), new int[] {0}).subscribe(null, e -> {
                            failures.incrementAndGet();
                            answered.countDown();
                        }, answered::countDown);
                    }
                }).start();
            }
            go.countDown();
            assertThat(answered.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(failures).hasValue(0);
            stats = writer.stats();
            // Durable when answered: a reader that never saw the writer's memory finds every record.
            List<QueueEntry> onDisk = SpoolReader.scan(queue);
            assertThat(onDisk).hasSize(messages).allSatisfy(e -> assertThat(e.done()).isEqualTo(bits(0)));
            assertThat(writer.queuedMessages()).isEqualTo(messages);
        }
        assertThat(stats.doneRecords()).isEqualTo(messages);
        assertThat(stats.doneFlushes())
                .as("%d fsyncs for %d DONE records", stats.doneFlushes(), stats.doneRecords())
                .isPositive().isLessThan(stats.doneRecords());
    }

    @Test
    void recoveryShowsDoneRecipientsAndLeavesFinishedMessagesOut() throws Exception {
        List<QueuedMessage> queued;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            queued = acceptAll(writer, 0, 6);
            writer.recordDone(queued.get(0).id(), new int[] {0, 1}).block(WAIT); // finished at once
            writer.recordDone(queued.get(1).id(), new int[] {1}).block(WAIT);
            writer.recordDone(queued.get(2).id(), new int[] {0}).block(WAIT);
            writer.recordDone(queued.get(2).id(), new int[] {1}).block(WAIT); // finished in two steps
            writer.recordDone(queued.get(3).id(), new int[] {0}).block(WAIT);
            assertThat(writer.queuedMessages()).isEqualTo(4);
        }
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(reopened.recovered()).extracting(QueueEntry::id).containsExactly(
                    queued.get(1).id(), queued.get(3).id(), queued.get(4).id(), queued.get(5).id());
            assertThat(reopened.recovered()).extracting(QueueEntry::done)
                    .containsExactly(bits(1), bits(0), bits(), bits());
            assertThat(reopened.queuedMessages()).isEqualTo(4);
            // What was finished before stays finished: recording it again writes nothing and succeeds.
            reopened.recordDone(queued.get(0).id(), new int[] {0}).block(WAIT);
            reopened.recordDone(queued.get(1).id(), new int[] {0}).block(WAIT);
            assertThat(reopened.queuedMessages()).isEqualTo(3);
            assertThat(reopened.stats().doneRecords()).isEqualTo(1);
        }
        assertThat(SpoolReader.scan(queue)).extracting(QueueEntry::id)
                .containsExactly(queued.get(3).id(), queued.get(4).id(), queued.get(5).id());
    }

    @Test
    void anIndexOutsideTheEnvelopeIsRefusedAndWritesNothing() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            long id = acceptAll(writer, 0, 1).get(0).id();
            assertThatThrownBy(() -> writer.recordDone(id, new int[] {2}).block(WAIT))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index 2");
            assertThatThrownBy(() -> writer.recordDone(id, new int[] {}).block(WAIT))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(writer.stats().doneRecords()).isZero();
            assertThat(writer.queuedMessages()).isEqualTo(1);
        }
    }

    @Test
    void recordDoneNeverBlocksItsCaller() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            long id = acceptAll(writer, 0, 1).get(0).id();
            // BlockHound fails this if recordDone blocks on a Reactor parallel thread.
            Mono.defer(() -> writer.recordDone(id, new int[] {0, 1})).subscribeOn(Schedulers.parallel()).block(WAIT);
            assertThat(writer.queuedMessages()).isZero();
        }
    }

    @Test
    void recordDoneAfterCloseIsRefused() throws Exception {
        SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults());
        long id = acceptAll(writer, 0, 1).get(0).id();
        writer.close();
        StepVerifier.create(writer.recordDone(id, new int[] {0})).expectError(SpoolFullException.class).verify(WAIT);
    }

    @Test
    void aFailedStateWriteFailsItsBatchAndTheNextOneUsesANewFile() throws Exception {
        List<QueuedMessage> queued;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            queued = acceptAll(writer, 0, 2);
            // Something in the way of the next state file: creating it fails like a disk error would.
            Path blocker = Files.createDirectory(SpoolLayout.stateFile(SpoolLayout.stateDir(queue), 1));
            StepVerifier.create(writer.recordDone(queued.get(0).id(), new int[] {0, 1}))
                    .expectError(SpoolWriteException.class).verify(WAIT);
            assertThat(writer.queuedMessages()).isEqualTo(2);
            writer.recordDone(queued.get(1).id(), new int[] {0, 1}).block(WAIT);
            assertThat(writer.queuedMessages()).isEqualTo(1);
            Files.delete(blocker);
        }
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(reopened.recovered()).extracting(QueueEntry::id).containsExactly(queued.get(0).id());
        }
    }

    static BitSet bits(int... indexes) {
        BitSet set = new BitSet();
        for (int i : indexes) {
            set.set(i);
        }
        return set;
    }
}
