package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Invariant 1's other half: a message answered with a failure is never found again. */
class WriteFailureTest {
    @TempDir
    Path queue;

    private final FaultyFileChannel.Faults faults = new FaultyFileChannel.Faults();
    private final List<String> log = new CopyOnWriteArrayList<>();

    private SpoolWriter open() throws Exception {
        return SpoolWriter.open(queue, SpoolOptions.defaults(), log::add,
                SpoolSeams.REAL.withSegmentOpener(FaultyFileChannel.opener(faults)));
    }

    @Test
    void aWriteFailingPartWayIsTakenBackAndLaterMailFlows() throws Exception {
        try (SpoolWriter writer = open()) {
            accepted(writer, 0);
            faults.failNextWrite = true;
            refused(writer, 1, "No space left on device");
            accepted(writer, 2);
            assertThat(indexes(SpoolReader.scan(queue))).containsExactly(0, 2);
            assertThat(writer.stats().failures()).isEqualTo(1);
            assertThat(writer.stats().accepted()).isEqualTo(2);
        }
        assertRecovered(0, 2);
    }

    @Test
    void aFailedFsyncTakesTheWholeRecordBackOut() throws Exception {
        try (SpoolWriter writer = open()) {
            accepted(writer, 0);
            faults.failNextForce = true;
            refused(writer, 1, "fsync");
            List<QueueEntry> now = SpoolReader.scan(queue);
            assertThat(indexes(now)).containsExactly(0);
            QueueEntry first = now.get(0);
            assertThat(Files.size(SpoolReader.segmentFile(queue, first.segment())))
                    .as("the complete, CRC-valid record of the refused message is gone from the file")
                    .isEqualTo(first.bodyOffset() + first.bytes());
            accepted(writer, 2);
        }
        assertRecovered(0, 2);
    }

    @Test
    void whenTruncationFailsTooTheNextSegmentCutsTheRefusedBatchOff() throws Exception {
        long firstSegment;
        try (SpoolWriter writer = open()) {
            accepted(writer, 0);
            faults.failTruncate = true;
            faults.failNextForce = true;
            refused(writer, 1, "fsync");
            accepted(writer, 2);
            List<QueueEntry> now = SpoolReader.scan(queue);
            assertThat(indexes(now)).containsExactly(0, 2);
            firstSegment = now.get(0).segment();
            assertThat(now.get(1).segment()).isGreaterThan(firstSegment);
            QueueEntry first = now.get(0);
            assertThat(Files.size(SpoolReader.segmentFile(queue, firstSegment)))
                    .as("the refused record is still in the old file; only the new header vouches against it")
                    .isGreaterThan(first.bodyOffset() + first.bytes());
        }
        assertThat(log).anyMatch(line -> line.contains("cannot truncate"));
        assertRecovered(0, 2);
    }

    @Test
    void whenNothingCanBeUndoneTheWriterStopsTakingMail() throws Exception {
        try (SpoolWriter writer = open()) {
            accepted(writer, 0);
            faults.failTruncate = true;
            faults.failOpen = true;
            faults.failNextForce = true;
            refused(writer, 1, "fsync");
            assertThat(writer.acceptingMail()).isFalse();
            refused(writer, 2, "restart qflux");
            assertThat(log).anyMatch(line -> line.startsWith("alert: ") && line.contains("restart qflux"));
        }
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(indexes(reopened.recovered())).contains(0).doesNotContain(2);
            assertThat(reopened.acceptingMail()).isTrue();
        }
    }

    @Test
    void aSegmentThatCannotBeCreatedRefusesThatBatchOnly() throws Exception {
        try (SpoolWriter writer = open()) {
            faults.failOpen = true;
            refused(writer, 0, "cannot start a queue segment");
            assertThat(writer.acceptingMail()).isTrue();
            faults.failOpen = false;
            accepted(writer, 1);
        }
        assertRecovered(1);
    }

    @Test
    void aSegmentHeaderThatCannotBeWrittenLeavesNoFileBehind() throws Exception {
        try (SpoolWriter writer = open()) {
            faults.failNextWrite = true;
            refused(writer, 0, "No space left on device");
            try (var files = Files.list(queue.resolve("seg"))) {
                assertThat(files).isEmpty();
            }
            accepted(writer, 1);
        }
        assertRecovered(1);
    }

    @Test
    void aBodyReleasedByItsCallerFailsOnlyItsOwnBatch() throws Exception {
        CountDownLatch stall = new CountDownLatch(1);
        SpoolSeams seams = SpoolSeams.REAL.withBeforeBatch(() -> SpoolWriterTest.awaitQuietly(stall));
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults(), log::add, seams)) {
            ByteBuf stolen = SpoolFixtures.body(1);
            Mono<QueuedMessage> result = writer.accept(SpoolFixtures.envelope(1), stolen).cache();
            result.subscribe(m -> { }, e -> { });
            stolen.release(); // a caller bug: the spool owns it now
            stall.countDown();
            StepVerifier.create(result).expectError(SpoolWriteException.class).verify(WAIT);
            assertThat(writer.acceptingMail()).isTrue();
            accepted(writer, 2);
        }
        assertRecovered(2);
    }

    private static void accepted(SpoolWriter writer, int index) {
        ByteBuf body = SpoolFixtures.body(index);
        assertThat(writer.accept(SpoolFixtures.envelope(index), body).block(WAIT)).isNotNull();
        assertThat(body.refCnt()).isZero();
    }

    private static void refused(SpoolWriter writer, int index, String why) {
        ByteBuf body = SpoolFixtures.body(index);
        StepVerifier.create(writer.accept(SpoolFixtures.envelope(index), body))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SpoolWriteException.class).hasMessageContaining(why))
                .verify(WAIT);
        assertThat(body.refCnt()).isZero();
    }

    private void assertRecovered(Integer... indexes) throws Exception {
        try (SpoolWriter reopened = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(indexes(reopened.recovered())).containsExactly(indexes);
            for (QueueEntry entry : reopened.recovered()) {
                assertThat(SpoolFixtures.readBody(queue, entry)).isEqualTo(SpoolFixtures.bodyBytes(SpoolFixtures.indexOf(entry)));
            }
        }
        assertThat(indexes(SpoolReader.scan(queue))).containsExactly(indexes);
    }

    private static List<Integer> indexes(List<QueueEntry> entries) {
        return entries.stream().map(SpoolFixtures::indexOf).toList();
    }
}
