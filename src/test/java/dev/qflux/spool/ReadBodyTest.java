package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Bodies come back byte for byte, in bounded chunks, on the spool's I/O threads, as fast as asked for. */
class ReadBodyTest {
    private static final int LARGE = 300_000;

    @TempDir
    Path queue;

    @Test
    void smallAndMultiChunkBodiesComeBackByteForByteOffTheCallersThread() throws Exception {
        byte[] large = crlfText(LARGE);
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            RecordDoneTest.acceptAll(writer, 0, 3);
            writer.accept(new Envelope("big@example.com", List.of("r@example.org")),
                    Unpooled.directBuffer(LARGE).writeBytes(large)).block(WAIT);
            List<QueueEntry> entries = SpoolReader.scan(queue);
            assertThat(entries).hasSize(4);
            Set<String> threads = ConcurrentHashMap.newKeySet();
            for (QueueEntry e : entries) {
                List<Integer> sizes = new ArrayList<>();
                // Subscribed from a Reactor parallel thread: BlockHound fails the test if a read happens there.
                byte[] read = concat(writer.readBody(e)
                        .doOnNext(chunk -> {
                            threads.add(Thread.currentThread().getName());
                            sizes.add(chunk.readableBytes());
                            assertThat(chunk.isDirect()).isTrue();
                        })
                        .subscribeOn(Schedulers.parallel()));
                byte[] expected = e.sender().equals("big@example.com") ? large
                        : SpoolFixtures.bodyBytes(SpoolFixtures.indexOf(e));
                assertThat(read).isEqualTo(expected);
                assertThat(sizes).allSatisfy(size -> assertThat(size).isPositive().isLessThanOrEqualTo(64 << 10));
                if (expected.length == LARGE) {
                    assertThat(sizes).hasSize((LARGE + (64 << 10) - 1) / (64 << 10));
                }
            }
            assertThat(threads).allSatisfy(name -> assertThat(name).startsWith("qflux-spool-read"));
        }
    }

    @Test
    void readsOnlyWhatIsRequested() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            writer.accept(new Envelope("big@example.com", List.of("r@example.org")),
                    Unpooled.directBuffer(LARGE).writeBytes(crlfText(LARGE))).block(WAIT);
            QueueEntry entry = SpoolReader.scan(queue).get(0);
            List<ByteBuf> received = new ArrayList<>();
            StepVerifier.create(writer.readBody(entry).doOnNext(received::add), 1)
                    .expectNextCount(1)
                    .expectNoEvent(Duration.ofMillis(200))
                    .thenRequest(2)
                    .expectNextCount(2)
                    .expectNoEvent(Duration.ofMillis(200))
                    .thenRequest(Long.MAX_VALUE)
                    .expectNextCount(2)
                    .verifyComplete();
            received.forEach(ByteBuf::release);
            assertThat(received).hasSize(5).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        }
    }

    @Test
    void anEmptyBodyCompletesAtOnce() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            writer.accept(new Envelope("", List.of("r@example.org")), Unpooled.directBuffer(0)).block(WAIT);
            StepVerifier.create(writer.readBody(SpoolReader.scan(queue).get(0))).verifyComplete();
        }
    }

    @Test
    void readingAFinishedMessageWhoseSegmentIsGoneFails() throws Exception {
        SpoolOptions small = SpoolOptions.defaults().withSegmentBytes(1);
        try (SpoolWriter writer = SpoolWriter.open(queue, small)) {
            RecordDoneTest.acceptAll(writer, 0, 1);
            RecordDoneTest.acceptAll(writer, 1, 2); // a newer segment, so the first may go
            QueueEntry first = SpoolReader.scan(queue).get(0);
            writer.recordDone(first.id(), new int[] {0, 1}).block(WAIT);
            StepVerifier.create(writer.readBody(first)).expectError(NoSuchFileException.class).verify(WAIT);
        }
    }

    /** Joins and releases every chunk. */
    static byte[] concat(Flux<ByteBuf> chunks) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf chunk : chunks.collectList().block(WAIT)) {
            byte[] bytes = new byte[chunk.readableBytes()];
            chunk.readBytes(bytes);
            out.writeBytes(bytes);
            assertThat(chunk.release()).isTrue();
        }
        return out.toByteArray();
    }

    /** Header-and-body text with CRLF line ends, as SMTP stores it. */
    static byte[] crlfText(int length) {
        StringBuilder text = new StringBuilder(length + 100).append("Subject: big\r\n\r\n");
        for (int line = 0; text.length() < length; line++) {
            text.append("line ").append(line).append(" of a long message body\r\n");
        }
        return text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
    }
}
