package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A scaled-down measure of the heap one waiting message costs (QueuedMessage's estimate: ~130
 * bytes): a million must fit in a 512 MB heap with the rest of qflux (design.md invariant 5).
 */
class SchedulerMemoryTest {

    private static final int MESSAGES = 200_000;
    /** Twice the estimate: a million messages would still take under 350 MB. */
    private static final long MAX_BYTES_PER_MESSAGE = 350;

    @Test
    void aWaitingMessageCostsASmallIndexEntry() {
        VirtualTimeScheduler clock = VirtualTimeScheduler.create();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long before = usedAfterGc(memory);
        Scheduler s = new Scheduler(SchedulerOptions.defaults(), job -> reactor.core.publisher.Mono.never(),
                (job, o) -> reactor.core.publisher.Mono.empty(), SchedulerFixture::domain, r -> false, clock);
        long later = 3_600_000;
        for (int i = 0; i < MESSAGES; i++) {
            s.add(i, 0, List.of("someone" + i + "@example" + (i % 1000) + ".test"), new BitSet(), later);
        }
        long after = usedAfterGc(memory);
        assertThat(s.stats().waitingMessages()).isEqualTo(MESSAGES);
        long perMessage = (after - before) / MESSAGES;
        System.out.println("scheduler heap per waiting message: " + perMessage + " bytes");
        assertThat(perMessage).isLessThan(MAX_BYTES_PER_MESSAGE);
        s.close();
        clock.dispose();
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
