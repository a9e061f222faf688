package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash mid-write leaves the newest segment ending inside a record. Recovery keeps exactly the
 * records before it and cuts the file there; the queue tools read around it without touching it.
 */
class TornTailTest {
    private static final int MESSAGES = 6;
    private static final int LAST = MESSAGES - 1;

    @TempDir
    Path queue;

    private Path segment;
    private byte[] pristine;
    private long lastStart;
    private long lastEnd;
    private List<Long> earlierIds;

    @BeforeEach
    void writeSomeMessages() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            for (int i = 0; i < MESSAGES; i++) {
                // the last body is small, so every cut inside its record is tried
                ByteBuf body = i == LAST
                        ? Unpooled.directBuffer().writeBytes("Subject: last\r\n\r\nshort\r\n".getBytes(StandardCharsets.US_ASCII))
                        : SpoolFixtures.body(i);
                writer.accept(SpoolFixtures.envelope(i), body).block(WAIT);
            }
        }
        List<QueueEntry> entries = SpoolReader.scan(queue);
        assertThat(entries).hasSize(MESSAGES);
        QueueEntry last = entries.get(LAST);
        segment = SpoolReader.segmentFile(queue, last.segment());
        pristine = Files.readAllBytes(segment);
        lastStart = SpoolFixtures.recordStart(last);
        lastEnd = last.bodyOffset() + last.bytes();
        assertThat(lastEnd).isEqualTo(pristine.length);
        earlierIds = entries.subList(0, LAST).stream().map(QueueEntry::id).toList();
    }

    @Test
    void everyCutInsideTheLastRecordLeavesTheEarlierOnes() throws Exception {
        TreeSet<Long> cuts = new TreeSet<>();
        for (long at = lastStart; at < lastEnd; at++) {
            cuts.add(at);
        }
        assertThat(cuts).contains(lastStart + RecordFormat.R_CRC, lastStart + RecordFormat.RECORD_HEADER_BYTES);
        for (long cut : cuts) {
            Files.write(segment, Arrays.copyOf(pristine, (int) cut));
            assertRecoveredExactlyTheEarlierRecords("cut at " + cut);
        }
    }

    @Test
    void aFlippedByteAnywhereInTheLastRecordDropsIt() throws Exception {
        for (long at = lastStart; at < lastEnd; at++) {
            byte[] damaged = pristine.clone();
            damaged[(int) at] ^= 0x20;
            Files.write(segment, damaged);
            assertRecoveredExactlyTheEarlierRecords("byte flipped at " + at);
        }
    }

    @Test
    void afterRepairNewMailIsAppendedAndRecovered() throws Exception {
        Files.write(segment, Arrays.copyOf(pristine, (int) (lastStart + 3)));
        long added;
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(writer.recovered()).extracting(QueueEntry::id).containsExactlyElementsOf(earlierIds);
            added = writer.accept(SpoolFixtures.envelope(42), SpoolFixtures.body(42)).block(WAIT).id();
        }
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            List<Long> expected = new ArrayList<>(earlierIds);
            expected.add(added);
            assertThat(writer.recovered()).extracting(QueueEntry::id).containsExactlyElementsOf(expected);
            QueueEntry last = writer.recovered().get(expected.size() - 1);
            assertThat(last.segment()).as("a reopened writer starts a new segment").isNotEqualTo(
                    writer.recovered().get(0).segment());
            assertThat(SpoolFixtures.readBody(queue, last)).isEqualTo(SpoolFixtures.bodyBytes(42));
        }
    }

    @Test
    void theReaderStopsAtATornTailWithoutTouchingIt() throws Exception {
        byte[] torn = Arrays.copyOf(pristine, (int) (lastStart + RecordFormat.RECORD_HEADER_BYTES + 2));
        Files.write(segment, torn);
        assertThat(SpoolReader.scan(queue)).extracting(QueueEntry::id).containsExactlyElementsOf(earlierIds);
        assertThat(Files.readAllBytes(segment)).isEqualTo(torn);
    }

    @Test
    void aNewestSegmentWithATornHeaderIsRemoved() throws Exception {
        Path next = SpoolReader.segmentFile(queue, 2);
        Files.write(next, Arrays.copyOf(pristine, RecordFormat.SEGMENT_HEADER_BYTES - 1));
        assertThat(SpoolReader.scan(queue)).hasSize(MESSAGES);
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(writer.recovered()).hasSize(MESSAGES);
        }
        assertThat(next).doesNotExist();
    }

    private void assertRecoveredExactlyTheEarlierRecords(String what) throws IOException {
        assertThat(SpoolReader.scan(queue)).as(what + " (reader)")
                .extracting(QueueEntry::id).containsExactlyElementsOf(earlierIds);
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            assertThat(writer.recovered()).as(what).extracting(QueueEntry::id).containsExactlyElementsOf(earlierIds);
        }
        assertThat(Files.size(segment)).as(what + ": file cut back to the last good record").isEqualTo(lastStart);
    }
}
