package dev.qflux.spool;

import static dev.qflux.spool.SpoolFixtures.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

/** Invariant 6: below the free-space floor the spool answers 452 instead of filling the disk. */
class DiskFullTest {
    private static final long FLOOR = 100L << 20;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    @TempDir
    Path queue;

    @Test
    void aFloorAboveTheRealFreeSpaceRefusesMail() throws Exception {
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults().withMinFreeBytes(Long.MAX_VALUE / 2))) {
            assertThat(writer.acceptingMail()).isFalse();
            assertFull(writer, 1);
            assertThat(writer.stats().failures()).isEqualTo(1);
        }
        assertThat(SpoolReader.scan(queue)).isEmpty();
    }

    @Test
    void mailIsRefusedWhileTheDiskIsLowAndTakenAgainOnceThereIsRoom() throws Exception {
        AtomicLong usable = new AtomicLong(FLOOR - 1);
        List<String> log = new CopyOnWriteArrayList<>();
        SpoolSeams seams = SpoolSeams.REAL.withUsableSpace(usable::get);
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults().withMinFreeBytes(FLOOR), log::add, seams)) {
            assertThat(writer.acceptingMail()).isFalse();
            assertFull(writer, 1);

            usable.set(FLOOR * 10);
            awaitAccepting(writer, true); // the idle writer looks again by itself
            assertThat(writer.accept(SpoolFixtures.envelope(2), SpoolFixtures.body(2)).block(WAIT)).isNotNull();

            usable.set(FLOOR - 1);
            awaitAccepting(writer, false);
            assertFull(writer, 3);
        }
        assertThat(log).anyMatch(line -> line.contains("refusing mail with 452"))
                .anyMatch(line -> line.contains("accepting mail"));
        assertThat(SpoolReader.scan(queue)).extracting(SpoolFixtures::indexOf).containsExactly(2);
    }

    @Test
    void anUnreadableFreeSpaceDoesNotStopMail() throws Exception {
        SpoolSeams seams = SpoolSeams.REAL.withUsableSpace(() -> {
            throw new java.io.IOException("statvfs failed (test)");
        });
        try (SpoolWriter writer = SpoolWriter.open(queue, SpoolOptions.defaults(), m -> { }, seams)) {
            assertThat(writer.acceptingMail()).isTrue();
            assertThat(writer.accept(SpoolFixtures.envelope(1), SpoolFixtures.body(1)).block(WAIT)).isNotNull();
        }
    }

    @Test
    void aMessageThatWouldCrossTheFloorIsRefusedAndCachedAnswersCountWhatWasWritten() {
        AtomicLong usable = new AtomicLong(FLOOR + 1000);
        AtomicLong now = new AtomicLong();
        DiskSpace disk = new DiskSpace(usable::get, FLOOR, m -> { }, now::get);
        assertThat(disk.hasRoomFor(0)).isTrue();
        assertThat(disk.hasRoomFor(1000)).isTrue();
        assertThat(disk.hasRoomFor(1001)).isFalse();
        disk.wrote(600);
        usable.set(FLOOR * 2); // not looked at again within the probe interval
        assertThat(disk.hasRoomFor(500)).isFalse();
        now.addAndGet(DiskSpace.PROBE_INTERVAL_NANOS);
        assertThat(disk.hasRoomFor(500)).isTrue();
        assertThat(disk.usableBytes()).isEqualTo(FLOOR * 2);
    }

    private static void assertFull(SpoolWriter writer, int index) {
        ByteBuf body = SpoolFixtures.body(index);
        StepVerifier.create(writer.accept(SpoolFixtures.envelope(index), body))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(SpoolFullException.class).hasMessageContaining("free"))
                .verify(WAIT);
        assertThat(body.refCnt()).isZero();
    }

    /** Waits on the condition, bounded; the writer re-reads free space at least once a second. */
    private static void awaitAccepting(SpoolWriter writer, boolean expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (writer.acceptingMail() != expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(POLL_NANOS);
        }
        assertThat(writer.acceptingMail()).isEqualTo(expected);
    }
}
