package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** On Reactor's parallel threads, with BlockHound installed in this JVM, nothing blocks. */
class SchedulerNonBlockingTest {

    @Test
    void deliversOnParallelThreadsWithoutBlocking() {
        int messages = 500;
        DeliveryAgent agent = job -> Mono.delay(Duration.ofMillis(1), Schedulers.parallel())
                .map(x -> List.<RecipientOutcome>of(job.recipients().get(0).startsWith("bad")
                        ? new RecipientOutcome.Failed("no (#5.1.1)")
                        : new RecipientOutcome.Delivered("ok")));
        OutcomeSink sink = (job, o) -> Mono.delay(Duration.ofMillis(1), Schedulers.parallel()).then();
        try (Scheduler s = new Scheduler(SchedulerOptions.defaults(), agent, sink, SchedulerFixture::domain,
                r -> r.endsWith("@local.test"), Schedulers.parallel())) {
            StepVerifier.create(s.events().ofType(DeliveryEvent.MessageDone.class).take(messages))
                    .then(() -> {
                        for (int i = 0; i < messages; i++) {
                            String r = (i % 10 == 0 ? "bad" : "u") + i + (i % 3 == 0 ? "@local.test" : "@d" + i % 7 + ".test");
                            s.add(i, System.currentTimeMillis(), List.of(r), new BitSet());
                        }
                    })
                    .expectNextCount(messages)
                    .expectComplete()
                    .verify(Duration.ofSeconds(60));
            assertThat(s.stats().messagesDone()).isEqualTo(messages);
            assertThat(s.stats().queuedMessages()).isZero();
        }
    }
}
