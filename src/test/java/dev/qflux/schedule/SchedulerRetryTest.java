package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** When attempts happen: qmail's formula, ALRM, queuelifetime. */
class SchedulerRetryTest {

    @Test
    void retriesFollowQmailsFormulaPerChannel() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            f.agent.outcomes(r -> SchedulerFixture.deferred()).latency("slow.test", Duration.ofSeconds(30));
            f.add(1, "a@remote.test");
            f.add(2, "b@local.test");
            f.add(3, "c@slow.test");
            f.advance(Duration.ofSeconds(6401));

            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 400L, 1600L, 3600L, 6400L);
            assertThat(f.agent.attemptSeconds(2, 0))
                    .containsExactly(0L, 100L, 400L, 900L, 1600L, 2500L, 3600L, 4900L, 6400L);
            // A slow destination's attempts still start on the schedule: qmail fixes the retry
            // time when the attempt starts.
            assertThat(f.agent.attemptSeconds(3, 0)).containsExactly(0L, 400L, 1600L, 3600L, 6400L);
            assertThat(f.agent.attempts).extracting(a -> a.job().attempt()).contains(1, 2, 3, 4, 5);
            assertThat(f.done()).isEmpty();
            assertThat(f.scheduler.stats().queuedMessages()).isEqualTo(3);
        }
    }

    @Test
    void startedEventsFollowTheScheduleOnStepVerifiersClock() {
        StepVerifier.withVirtualTime(() -> {
                    VirtualTimeScheduler clock = VirtualTimeScheduler.get();
                    Scheduler s = new Scheduler(SchedulerOptions.defaults(),
                            job -> reactor.core.publisher.Mono.just(List.of(SchedulerFixture.deferred())),
                            (job, o) -> reactor.core.publisher.Mono.empty(), SchedulerFixture::domain,
                            r -> false, clock);
                    s.add(7, clock.now(TimeUnit.MILLISECONDS), List.of("x@example.test"), new BitSet());
                    return s.events().ofType(DeliveryEvent.Started.class)
                            .map(e -> clock.now(TimeUnit.SECONDS)).take(4);
                })
                .expectNext(0L)
                .expectNoEvent(Duration.ofSeconds(399))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(400L)
                .thenAwait(Duration.ofSeconds(1200))
                .expectNext(1600L)
                .thenAwait(Duration.ofSeconds(2000))
                .expectNext(3600L)
                .expectComplete()
                .verify(Duration.ofSeconds(30));
    }

    @Test
    void runAllNowRetriesImmediatelyAndTheScheduleGoesOnFromThere() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            f.agent.outcomes(r -> SchedulerFixture.deferred());
            f.add(1, "a@remote.test");
            f.advance(Duration.ofSeconds(10));
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L);

            f.scheduler.runAllNow();
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 10L);

            // floor(sqrt(10)) = 3: next at (3 + 20)^2 = 529 s.
            f.advance(Duration.ofSeconds(518));
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 10L);
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 10L, 529L);
        }
    }

    @Test
    void afterTheLifetimeOneLastTryThenTheDeferralIsFinal() {
        SchedulerOptions options = new SchedulerOptions(20, 10, 20, Duration.ofSeconds(2000));
        try (SchedulerFixture f = new SchedulerFixture(options)) {
            f.agent.outcomes(r -> SchedulerFixture.deferred());
            f.add(1, "a@remote.test");
            f.advance(Duration.ofSeconds(3599));
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 400L, 1600L);
            assertThat(f.agent.attempts).noneMatch(a -> a.job().lastTry());
            assertThat(f.done()).isEmpty();

            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 400L, 1600L, 3600L);
            assertThat(f.agent.attempts.get(3).job().lastTry()).isTrue();

            String reason = "Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)/" + RetrySchedule.GIVE_UP;
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).containsExactly(new DeliveryEvent.BounceNeeded(1,
                    List.of(new DeliveryEvent.FailedRecipient(0, "a@remote.test", reason))));
            assertThat(f.done()).containsExactly(1L);
            assertThat(f.recorded.get(3).outcomes()).containsExactly(new RecipientOutcome.Failed(reason));
            int bounceAt = f.events.indexOf(f.events(DeliveryEvent.BounceNeeded.class).get(0));
            int doneAt = f.events.indexOf(new DeliveryEvent.MessageDone(1));
            assertThat(bounceAt).isLessThan(doneAt);

            f.advance(Duration.ofDays(30));
            assertThat(f.agent.attempts).hasSize(4);
            assertThat(f.scheduler.stats().queuedMessages()).isZero();
        }
    }

    @Test
    void aRecoveredMessageWaitsForItsNextTime() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            long birth = f.now();
            f.scheduler.add(1, birth, List.of("a@remote.test"), new BitSet(), birth + 400_000);
            f.advance(Duration.ofSeconds(399));
            assertThat(f.agent.attempts).isEmpty();
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attemptSeconds(1, birth)).containsExactly(400L);
            assertThat(f.done()).containsExactly(1L);
        }
    }
}
