package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Jobs per destination, outcomes per recipient, limits, dead destinations, pausing. */
class SchedulerDispatchTest {

    @Test
    void oneJobPerDestinationAndEachRecipientOnItsOwnPath() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            Map<String, AtomicInteger> tries = new ConcurrentHashMap<>();
            f.agent.outcomes(r -> {
                int n = tries.computeIfAbsent(r, k -> new AtomicInteger()).incrementAndGet();
                if (r.startsWith("bad")) {
                    return new RecipientOutcome.Failed("Sorry, no mailbox here by that name. (#5.1.1)");
                }
                if (r.startsWith("slow") && n == 1) {
                    return SchedulerFixture.deferred();
                }
                return new RecipientOutcome.Delivered("ok");
            });
            f.add(1, "good@x.test", "bad@x.test", "slow@y.test", "slow@local.test");

            assertThat(f.agent.attempts).extracting(a -> a.job().destination() + "=" + a.job().recipients())
                    .containsExactlyInAnyOrder("x.test=[good@x.test, bad@x.test]", "y.test=[slow@y.test]",
                            "local.test=[slow@local.test]");
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).containsExactly(new DeliveryEvent.BounceNeeded(1,
                    List.of(new DeliveryEvent.FailedRecipient(1, "bad@x.test",
                            "Sorry, no mailbox here by that name. (#5.1.1)"))));
            assertThat(f.done()).isEmpty();

            f.advance(Duration.ofSeconds(100));
            assertThat(f.agent.attempts.get(3).job().recipients()).containsExactly("slow@local.test");
            assertThat(f.done()).isEmpty();
            f.advance(Duration.ofSeconds(300));
            assertThat(f.agent.attempts.get(4).job().recipients()).containsExactly("slow@y.test");
            assertThat(f.agent.attempts).hasSize(5);
            assertThat(f.done()).containsExactly(1L);
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).hasSize(1);
            // Every Delivered/Failed was recorded before the message was declared done.
            assertThat(f.recorded.stream().mapToInt(r -> r.indexes().length).sum()).isEqualTo(6);
        }
    }

    @Test
    void aRecipientCountsAsDoneOnlyOnceRecorded() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            f.sinkFails = id -> f.agent.attempts.size() < 2;
            f.add(1, "a@x.test");
            assertThat(f.done()).isEmpty();
            f.advance(Duration.ofSeconds(400));
            assertThat(f.agent.attemptSeconds(1, 0)).containsExactly(0L, 400L);
            assertThat(f.done()).containsExactly(1L);
        }
    }

    @Test
    void perDestinationAndTotalLimitsHold() {
        try (SchedulerFixture f = new SchedulerFixture(new SchedulerOptions(10, 10, 3, RetrySchedule.DEFAULT_QUEUE_LIFETIME))) {
            for (int d = 0; d < 5; d++) {
                f.agent.latency("d" + d + ".test", Duration.ofSeconds(10));
                for (int i = 0; i < 20; i++) {
                    f.add(d * 100 + i, "u" + i + "@d" + d + ".test");
                }
            }
            f.advance(Duration.ofMinutes(10));
            assertThat(f.done()).hasSize(100);
            assertThat(f.agent.maxRunningPerDestination()).hasSize(5).allSatisfy((d, max) -> assertThat(max).isEqualTo(3));
            assertThat(f.agent.maxRunningTotal()).isEqualTo(10);
        }
    }

    @Test
    void aDeadDestinationHoldsOnlyItsOwnJobs() {
        try (SchedulerFixture f = new SchedulerFixture(new SchedulerOptions(3, 10, 2, RetrySchedule.DEFAULT_QUEUE_LIFETIME))) {
            f.agent.latency("dead.test", null).latency("live.test", Duration.ofSeconds(1));
            for (int i = 0; i < 10; i++) {
                f.add(i, "u" + i + "@dead.test");
            }
            for (int i = 10; i < 20; i++) {
                f.add(i, "u" + i + "@live.test");
            }
            f.advance(Duration.ofSeconds(60));
            assertThat(f.done()).containsExactlyInAnyOrderElementsOf(
                    java.util.stream.IntStream.range(10, 20).mapToObj(i -> (long) i).collect(Collectors.toList()));
            SchedulerStats stats = f.scheduler.stats();
            assertThat(stats.inFlightPerDestination()).isEqualTo(Map.of("dead.test", 2));
            assertThat(stats.pendingJobs()).isEqualTo(8);
            assertThat(stats.queuedMessages()).isEqualTo(10);
        }
    }

    @Test
    void concurrencyZeroHoldsUntilRaised() {
        try (SchedulerFixture f = new SchedulerFixture(SchedulerOptions.defaults().withConcurrency(0, 0))) {
            f.add(1, "a@x.test");
            f.add(2, "b@local.test");
            f.advance(Duration.ofHours(1));
            assertThat(f.agent.attempts).isEmpty();
            assertThat(f.scheduler.stats().pendingJobs()).isEqualTo(2);

            f.scheduler.setOptions(SchedulerOptions.defaults());
            assertThat(f.done()).containsExactlyInAnyOrder(1L, 2L);
        }
    }

    @Test
    void anAgentErrorOrAWrongAnswerIsADeferral() {
        try (SchedulerFixture f = SchedulerFixture.withDefaults()) {
            Scheduler s = new Scheduler(SchedulerOptions.defaults(),
                    job -> job.attempt() == 1 ? reactor.core.publisher.Mono.error(new IllegalStateException("boom"))
                            : reactor.core.publisher.Mono.just(List.of()),
                    (job, o) -> reactor.core.publisher.Mono.empty(), SchedulerFixture::domain, r -> false, f.clock);
            List<DeliveryEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
            s.events().subscribe(events::add);
            s.add(1, f.now(), List.of("a@x.test"), new java.util.BitSet());
            f.advance(Duration.ofSeconds(400));
            assertThat(events).filteredOn(e -> e instanceof DeliveryEvent.Finished)
                    .extracting(e -> ((DeliveryEvent.Finished) e).outcomes().get(0).getClass().getSimpleName() + ":"
                            + ((DeliveryEvent.Finished) e).outcomes().get(0).text())
                    .containsExactly("Deferred:delivery agent failed: boom (#4.3.0)",
                            "Deferred:delivery agent answered 0 outcomes for 1 recipients (#4.3.0)");
            s.close();
        }
    }
}
