package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

class SpoolWriterTest {
    @TempDir
    Path queue;

    @ParameterizedTest(name = "segmentBytes={0}")
    @ValueSource(longs = {SpoolOptions.DEFAULT_SEGMENT_BYTES, 16 << 10})
    void messagesAcceptedFromManyThreadsComeBackByteForByte(long segmentBytes) throws Exception {
        int threads = 4;
        int perThread = 150;
        Map<Integer, QueuedMessage> done = new ConcurrentHashMap<>();
        List<ByteBuf> bodies = new ArrayList<>();
        SpoolOptions sized = SpoolOptions.defaults().withSegmentBytes(segmentBytes);
        // Small segments: small batches too, so the messages span several segments however the
        // threads happen to interleave (a segment rolls only between batches).
        SpoolOptions options = segmentBytes < SpoolOptions.DEFAULT_SEGMENT_BYTES
                ? new SpoolOptions(sized.minFreeBytes(), segmentBytes, sized.maxPendingMessages(), segmentBytes / 4,
                        sized.stateFileBytes())
                : sized;
        try (SpoolWriter writer = SpoolWriter.open(queue, options)) {
            assertThat(writer.recovered()).isEmpty();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * perThread;
                List<ByteBuf> mine = new ArrayList<>();
                for (int i = first; i < first + perThread; i++) {
                    mine.add(SpoolFixtures.body(i));
                }
                bodies.addAll(mine);
                work.add(pool.submit(() -> {
                    List<Mono<QueuedMessage>> results = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        results.add(writer.accept(SpoolFixtures.envelope(first + i), mine.get(i)));
                    }
                    for (int i = 0; i < perThread; i++) {
                        done.put(first + i, results.get(i).block(WAIT));
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(writer.queuedMessages()).isEqualTo(threads * perThread);
            assertThat(writer.stats().accepted()).isEqualTo(threads * perThread);
            assertThat(writer.stats().failures()).isZero();
        }
        assertThat(bodies).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        Set<Long> ids = new HashSet<>();
        done.values().forEach(m -> ids.add(m.id()));
        assertThat(ids).hasSize(threads * perThread).allSatisfy(id -> assertThat(id).isPositive());

        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            List<QueueEntry> found = reopened.recovered();
            assertThat(found).hasSize(threads * perThread);
            assertThat(found).extracting(QueueEntry::id).isSorted();
            assertThat(reopened.queuedMessages()).isEqualTo(threads * perThread);
            for (QueueEntry entry : found) {
                int index = SpoolFixtures.indexOf(entry);
                QueuedMessage answered = done.get(index);
                assertThat(entry.id()).isEqualTo(answered.id());
                assertThat(entry.birthMillis()).isEqualTo(answered.birthMillis());
                assertThat(entry.bytes()).isEqualTo(answered.bytes());
                assertThat(new Envelope(entry.sender(), entry.recipients())).isEqualTo(SpoolFixtures.envelope(index));
                assertThat(SpoolFixtures.readBody(queue, entry)).isEqualTo(SpoolFixtures.bodyBytes(index));
            }
            if (segmentBytes < SpoolOptions.DEFAULT_SEGMENT_BYTES) {
                assertThat(found.stream().map(QueueEntry::segment).distinct().count()).isGreaterThan(1);
            }
        }
    }

    @Test
    void idsKeepGrowingAcrossRestarts() throws Exception {
        long first;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            first = writer.accept(SpoolFixtures.envelope(1), SpoolFixtures.body(1)).block(WAIT).id();
        }
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            long second = writer.accept(SpoolFixtures.envelope(2), SpoolFixtures.body(2)).block(WAIT).id();
            assertThat(second).isGreaterThan(first);
            assertThat(writer.recovered()).extracting(QueueEntry::id).containsExactly(first);
        }
    }

    @Test
    void heapEmptyAndPartlyReadBodiesAreStoredAsTheirReadableBytes() throws Exception {
        byte[] text = "Subject: hi\r\n\r\nbody\r\n".getBytes(StandardCharsets.US_ASCII);
        ByteBuf heap = Unpooled.buffer().writeBytes(text);
        ByteBuf empty = Unpooled.directBuffer(0);
        ByteBuf skipped = Unpooled.directBuffer().writeBytes("JUNK".getBytes(StandardCharsets.US_ASCII)).writeBytes(text);
        skipped.skipBytes(4);
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            for (ByteBuf body : List.of(heap, empty, skipped)) {
                writer.accept(SpoolFixtures.envelope(1), body).block(WAIT);
                assertThat(body.refCnt()).isZero();
            }
        }
        List<QueueEntry> found = SpoolReader.scan(queue);
        assertThat(found).extracting(QueueEntry::bytes).containsExactly((long) text.length, 0L, (long) text.length);
        assertThat(SpoolFixtures.readBody(queue, found.get(0))).isEqualTo(text);
        assertThat(SpoolFixtures.readBody(queue, found.get(1))).isEmpty();
        assertThat(SpoolFixtures.readBody(queue, found.get(2))).isEqualTo(text);
    }

    @Test
    void aSecondWriterOnTheSameQueueIsRefusedClearly() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThatThrownBy(() -> SpoolWriter.open(queue, SpoolOptions.defaults()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("queue " + queue)
                    .hasMessageContaining("is in use by another qflux");
            assertThat(writer.acceptingMail()).isTrue();
        }
        SpoolWriter.open(queue, SpoolOptions.defaults()).close(); // released on close
    }

    @Test
    void acceptNeverBlocksItsCaller() throws Exception {
        // BlockHound is installed in the test JVM: a blocking call on a parallel thread fails this.
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            Mono<QueuedMessage> onParallel = Mono.defer(() -> writer.accept(SpoolFixtures.envelope(7), SpoolFixtures.body(7)))
                    .subscribeOn(Schedulers.parallel());
            StepVerifier.create(onParallel)
                    .assertNext(m -> assertThat(m.bytes()).isEqualTo(SpoolFixtures.bodyBytes(7).length))
                    .expectComplete()
                    .verify(WAIT);
            StepVerifier.create(Mono.fromCallable(writer::acceptingMail).subscribeOn(Schedulers.parallel()))
                    .expectNext(true)
                    .expectComplete()
                    .verify(WAIT);
        }
    }

    @Test
    void aFullPendingQueueRefusesAtOnceAndRecovers() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        SpoolSeams seams = SpoolSeams.REAL.withBeforeBatch(() -> awaitQuietly(stall));
        int max = 4;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults().withMaxPendingMessages(max), m -> { }, seams)) {
            List<Mono<QueuedMessage>> waiting = new ArrayList<>();
            for (int i = 0; i < max; i++) {
                waiting.add(writer.accept(SpoolFixtures.envelope(i), SpoolFixtures.body(i)).cache());
                waiting.get(i).subscribe(m -> { }, e -> { });
            }
            assertThat(writer.acceptingMail()).isFalse();
            ByteBuf refused = SpoolFixtures.body(99);
            StepVerifier.create(writer.accept(SpoolFixtures.envelope(99), refused))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SpoolFullException.class)
                            .hasMessageContaining("too many messages"))
                    .verify(WAIT);
            assertThat(refused.refCnt()).isZero();

            stall.countDown();
            for (Mono<QueuedMessage> m : waiting) {
                assertThat(m.block(WAIT)).isNotNull();
            }
            assertThat(writer.acceptingMail()).isTrue();
            assertThat(writer.stats().failures()).isEqualTo(1);
            assertThat(writer.accept(SpoolFixtures.envelope(5), SpoolFixtures.body(5)).block(WAIT)).isNotNull();
        }
    }

    @Test
    void closeAnswersWhatItHoldsThenRefuses() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        SpoolSeams seams = SpoolSeams.REAL.withBeforeBatch(() -> awaitQuietly(stall));
        SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults(), m -> { }, seams);
        Mono<QueuedMessage> held = writer.accept(SpoolFixtures.envelope(1), SpoolFixtures.body(1)).cache();
        held.subscribe(m -> { }, e -> { });
        Thread closer = new Thread(writer::close);
        closer.start();
        stall.countDown();
        closer.join(WAIT.toMillis());
        assertThat(closer.isAlive()).isFalse();
        assertThat(held.block(WAIT).id()).isPositive();
        assertThat(writer.acceptingMail()).isFalse();
        ByteBuf late = SpoolFixtures.body(2);
        StepVerifier.create(writer.accept(SpoolFixtures.envelope(2), late))
                .expectError(SpoolFullException.class)
                .verify(WAIT);
        assertThat(late.refCnt()).isZero();
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(reopened.recovered()).hasSize(1);
        }
    }

    @Test
    void anEnvelopeTheFormatCannotCarryIsRefusedAndTheBodyFreed() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            ByteBuf body = Unpooled.directBuffer().writeBytes(new byte[] {'x'});
            StepVerifier.create(writer.accept(new Envelope("a\0b@example.com", List.of("c@example.org")), body))
                    .expectError(IllegalArgumentException.class)
                    .verify(WAIT);
            assertThat(body.refCnt()).isZero();
        }
    }

    @Test
    void layoutIsTheDocumentedOne() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            writer.accept(SpoolFixtures.envelope(3), SpoolFixtures.body(3)).block(WAIT);
        }
        assertThat(queue.resolve("lock")).isRegularFile();
        try (var files = Files.list(queue.resolve("seg"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("0000000000000001.seg");
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            if (!latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new IllegalStateException("test stall was never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
