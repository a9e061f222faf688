package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Holding one destination (the admin endpoint's hold/release) and retrying one message now (flush). */
class SchedulerHoldTest {

    @Test
    void aHeldDestinationStartsNothingUntilReleasedAndOthersGoOn() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            f.scheduler.hold("held.test", true);
            f.add(1, "a@held.test");
            f.add(2, "b@free.test");
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attempts).extracting(a -> a.job().destination()).containsExactly("free.test");
            assertThat(f.done()).containsExactly(2L);

            f.scheduler.hold("held.test", false);
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attempts).extracting(a -> a.job().destination())
                    .containsExactly("free.test", "held.test");
            assertThat(f.done()).containsExactly(2L, 1L);
        }
    }

    @Test
    void runNowRetriesOneWaitingMessageAndSaysWhenItHasNone() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            AtomicInteger tries = new AtomicInteger();
            f.agent.outcomes(r -> tries.incrementAndGet() == 1 ? SchedulerFixture.deferred()
                    : new RecipientOutcome.Delivered("ok"));
            f.add(1, "a@x.test");
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attempts).hasSize(1);

            var flushed = f.scheduler.runNow(1).toFuture();
            var unknown = f.scheduler.runNow(99).toFuture();
            f.advance(Duration.ofSeconds(1)); // well before qmail's first retry at 400 s
            assertThat(flushed.getNow(null)).isTrue();
            assertThat(unknown.getNow(null)).isFalse();
            assertThat(f.agent.attempts).hasSize(2);
            assertThat(f.done()).containsExactly(1L);
        }
    }
}
