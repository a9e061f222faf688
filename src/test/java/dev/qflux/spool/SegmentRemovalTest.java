package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A segment whose messages are all finished is deleted, and with it the state files that finished it. */
class SegmentRemovalTest {
    /** Two or three fixture messages per segment. */
    private static final SpoolOptions SMALL = SpoolOptions.defaults().withSegmentBytes(16 << 10)
            .withStateFileBytes(64); // a new state file after nearly every batch
    private static final int MESSAGES = 40;

    @TempDir
    Path queue;

    @Test
    void finishedSegmentsAndTheirStateFilesGoUnfinishedOnesStay() throws Exception {
        Map<Long, List<QueueEntry>> bySegment;
        List<QueueEntry> unfinished = new ArrayList<>();
        try (SpoolWriter writer = SpoolWriter.open(queue, SMALL)) {
            acceptOneByOne(writer);
            bySegment = SpoolReader.scan(queue).stream()
                    .collect(Collectors.groupingBy(QueueEntry::segment, TreeMap::new, Collectors.toList()));
            assertThat(bySegment).hasSizeGreaterThan(6);
            List<Long> segments = new ArrayList<>(bySegment.keySet());
            List<Long> toFinish = segments.subList(0, segments.size() / 2);
            int finished = 0;
            for (long segment : segments) {
                for (QueueEntry e : bySegment.get(segment)) {
                    if (toFinish.contains(segment)) {
                        // one recipient at a time, as separate deliveries would finish them
                        writer.recordDone(e.id(), new int[] {1}).block(WAIT);
                        writer.recordDone(e.id(), new int[] {0}).block(WAIT);
                        finished++;
                    } else {
                        writer.recordDone(e.id(), new int[] {0}).block(WAIT);
                        unfinished.add(e);
                    }
                }
            }
            assertThat(writer.queuedMessages()).isEqualTo(MESSAGES - finished);
            for (long segment : segments) {
                assertThat(Files.exists(SpoolReader.segmentFile(queue, segment))).as("segment %d", segment)
                        .isEqualTo(!toFinish.contains(segment));
            }
            // Every state file left names an unfinished message; the early ones named only deleted segments.
            assertThat(stateFiles()).isNotEmpty().hasSizeLessThan((int) writer.stats().doneFlushes());
        }
        try (SpoolWriter reopened = SpoolWriter.open(queue, SMALL)) {
            assertThat(reopened.recovered()).extracting(QueueEntry::id)
                    .containsExactlyElementsOf(unfinished.stream().map(QueueEntry::id).toList());
            assertThat(reopened.recovered()).allSatisfy(e -> {
                assertThat(e.done()).isEqualTo(RecordDoneTest.bits(0));
                assertThat(SpoolFixtures.readBody(queue, e)).isEqualTo(SpoolFixtures.bodyBytes(SpoolFixtures.indexOf(e)));
            });
        }
    }

    @Test
    void finishingEverythingKeepsOnlyTheNewestSegmentAndIdsKeepGrowing() throws Exception {
        long highest;
        try (SpoolWriter writer = SpoolWriter.open(queue, SMALL)) {
            List<QueuedMessage> queued = acceptOneByOne(writer);
            highest = queued.get(queued.size() - 1).id();
            for (QueuedMessage m : queued) {
                writer.recordDone(m.id(), new int[] {0, 1}).block(WAIT);
            }
            assertThat(writer.queuedMessages()).isZero();
            assertThat(SpoolLayout.listSegments(SpoolLayout.segmentDir(queue))).hasSize(1);
        }
        try (SpoolWriter reopened = SpoolWriter.open(queue, SMALL)) {
            assertThat(reopened.recovered()).isEmpty();
            assertThat(reopened.queuedMessages()).isZero();
            QueuedMessage next = RecordDoneTest.acceptAll(reopened, MESSAGES, MESSAGES + 1).get(0);
            assertThat(next.id()).isGreaterThan(highest);
            // The old newest segment goes once a newer one holds a message.
            assertThat(SpoolLayout.listSegments(SpoolLayout.segmentDir(queue))).hasSize(1);
            assertThat(reopened.recovered()).isEmpty();
        }
        try (SpoolWriter again = SpoolWriter.open(queue, SMALL)) {
            assertThat(again.recovered()).extracting(QueueEntry::id).containsExactly(highest + 1);
            assertThat(stateFiles()).isEmpty();
        }
    }

    @Test
    void recoveryRemovesSegmentsFinishedBeforeACrash() throws Exception {
        List<QueuedMessage> queued;
        try (SpoolWriter writer = SpoolWriter.open(queue, SMALL)) {
            queued = acceptOneByOne(writer);
        }
        List<QueueEntry> entries = SpoolReader.scan(queue);
        // What a writer leaves when it dies after fsyncing DONE records and before removing anything.
        ByteBuffer records = ByteBuffer.allocate(4096);
        CRC32C crc = new CRC32C();
        for (int i = 0; i < 10; i++) {
            StateFormat.putDone(records, queued.get(i).id(), new int[] {0, 1}, crc);
        }
        records.flip();
        Files.write(SpoolLayout.stateFile(SpoolLayout.stateDir(queue), 7),
                Arrays.copyOf(records.array(), records.limit()));
        Set<Long> finishedOnly = new TreeSet<>();
        Set<Long> holdingPending = new TreeSet<>();
        for (QueueEntry e : entries) {
            (e.id() <= queued.get(9).id() ? finishedOnly : holdingPending).add(e.segment());
        }
        finishedOnly.removeAll(holdingPending);
        assertThat(finishedOnly).isNotEmpty();

        try (SpoolWriter reopened = SpoolWriter.open(queue, SMALL)) {
            assertThat(reopened.recovered()).extracting(QueueEntry::id)
                    .containsExactlyElementsOf(queued.subList(10, MESSAGES).stream().map(QueuedMessage::id).toList());
            assertThat(SpoolLayout.listSegments(SpoolLayout.segmentDir(queue)))
                    .containsExactlyElementsOf(holdingPending);
        }
        try (SpoolWriter again = SpoolWriter.open(queue, SMALL)) {
            assertThat(again.recovered()).hasSize(MESSAGES - 10);
        }
    }

    @Test
    void aSegmentFinishedForAMomentKeepsAMessageAddedToItLater() throws Exception {
        SpoolOptions rollAfterTenKilobytes = SpoolOptions.defaults().withSegmentBytes(10_000);
        try (SpoolWriter writer = SpoolWriter.open(queue, rollAfterTenKilobytes)) {
            QueuedMessage a = accept(writer, "a", 1000);
            writer.recordDone(a.id(), new int[] {0}).block(WAIT); // segment 1 holds nothing pending now
            QueuedMessage b = accept(writer, "b", 1000); // ... until b joins it
            accept(writer, "c", 10_000); // fills segment 1
            QueuedMessage d = accept(writer, "d", 1000); // segment 2: segment 1 is no longer the newest
            assertThat(writer.recordDone(d.id(), new int[] {0}).block(WAIT)).isNull();
            assertThat(SpoolLayout.listSegments(SpoolLayout.segmentDir(queue))).contains(1L);
            assertThat(SpoolFixtures.readBody(queue, SpoolReader.scan(queue).get(0))).hasSize(1000);
            assertThat(SpoolReader.scan(queue)).extracting(QueueEntry::id).containsExactly(b.id(), b.id() + 1);
        }
    }

    private static QueuedMessage accept(SpoolWriter writer, String name, int bytes) {
        return writer.accept(new Envelope(name + "@example.com", List.of(name + "@example.org")),
                Unpooled.directBuffer(bytes).writeZero(bytes)).block(WAIT);
    }

    private static List<QueuedMessage> acceptOneByOne(SpoolWriter writer) {
        List<QueuedMessage> queued = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            queued.add(RecordDoneTest.acceptAll(writer, i, i + 1).get(0));
        }
        return queued;
    }

    private List<Long> stateFiles() throws IOException {
        return SpoolLayout.listFiles(SpoolLayout.stateDir(queue), SpoolLayout.STATE_SUFFIX);
    }
}
