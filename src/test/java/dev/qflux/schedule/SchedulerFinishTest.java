package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The admin endpoint's bounce and delete: one outcome recorded through the outcome sink for every
 * pending recipient of an idle message, never for the ones already done, and never while a
 * delivery of the message runs.
 */
class SchedulerFinishTest {
    private static final RecipientOutcome BOUNCED = new RecipientOutcome.Failed("bounced by the administrator");
    private static final RecipientOutcome DELETED = new RecipientOutcome.Delivered("deleted");

    /** Recipients starting "ok" are delivered, all others deferred. */
    private static SchedulerFixture deferringFixture() {
        SchedulerFixture f = SchedulerFixture.withDefaults();
        f.agent.outcomes(r -> r.startsWith("ok") ? new RecipientOutcome.Delivered("ok") : SchedulerFixture.deferred());
        return f;
    }

    @Test
    void bounceRecordsFailuresForThePendingRecipientsOnlyAndEndsTheMessage() {
        try (SchedulerFixture f = deferringFixture()) {
            f.add(1, "ok@x.test", "no@x.test", "no2@y.test");
            f.advance(Duration.ofSeconds(1));
            int before = f.recorded.size();

            CompletableFuture<Scheduler.Finish> bounced = f.scheduler.finishPending(1, BOUNCED).toFuture();
            f.advance(Duration.ofSeconds(1));

            assertThat(bounced.getNow(null)).isEqualTo(Scheduler.Finish.DONE);
            assertThat(f.recorded).hasSize(before + 1);
            SchedulerFixture.Recorded last = f.recorded.get(before);
            assertThat(last.indexes()).containsExactly(1, 2);
            assertThat(last.outcomes()).containsExactly(BOUNCED, BOUNCED);
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).singleElement()
                    .satisfies(b -> assertThat(b.failures()).extracting(DeliveryEvent.FailedRecipient::recipient)
                            .containsExactly("no@x.test", "no2@y.test"));
            assertThat(f.done()).containsExactly(1L);

            CompletableFuture<Scheduler.Finish> again = f.scheduler.finishPending(1, BOUNCED).toFuture();
            f.advance(Duration.ofSeconds(1));
            assertThat(again.getNow(null)).isEqualTo(Scheduler.Finish.NOT_QUEUED);
            // No retry comes later for a bounced message.
            int attempts = f.agent.attempts.size();
            f.advance(Duration.ofDays(8));
            assertThat(f.agent.attempts).hasSize(attempts);
        }
    }

    @Test
    void deleteEndsTheMessageWithoutABounce() {
        try (SchedulerFixture f = deferringFixture()) {
            f.add(2, "no@x.test");
            f.advance(Duration.ofSeconds(1));

            CompletableFuture<Scheduler.Finish> deleted = f.scheduler.finishPending(2, DELETED).toFuture();
            CompletableFuture<Scheduler.Finish> unknown = f.scheduler.finishPending(99, DELETED).toFuture();
            f.advance(Duration.ofSeconds(1));

            assertThat(deleted.getNow(null)).isEqualTo(Scheduler.Finish.DONE);
            assertThat(unknown.getNow(null)).isEqualTo(Scheduler.Finish.NOT_QUEUED);
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).isEmpty();
            assertThat(f.done()).containsExactly(2L);
        }
    }

    @Test
    void aMessageBeingDeliveredIsLeftAlone() {
        try (SchedulerFixture f = deferringFixture()) {
            f.agent.latency("slow.test", Duration.ofSeconds(60));
            f.add(3, "no@slow.test");
            f.add(5, "no@local.test", "no@slow.test");
            f.advance(Duration.ofSeconds(1));

            // Running on its only channel: not waiting. Waiting locally, running remotely: busy.
            CompletableFuture<Scheduler.Finish> running = f.scheduler.finishPending(3, BOUNCED).toFuture();
            CompletableFuture<Scheduler.Finish> busy = f.scheduler.finishPending(5, BOUNCED).toFuture();
            f.advance(Duration.ofSeconds(1));
            assertThat(running.getNow(null)).isEqualTo(Scheduler.Finish.NOT_QUEUED);
            assertThat(busy.getNow(null)).isEqualTo(Scheduler.Finish.BUSY);
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).isEmpty();

            f.advance(Duration.ofSeconds(60)); // the attempts end deferred
            CompletableFuture<Scheduler.Finish> idle = f.scheduler.finishPending(5, BOUNCED).toFuture();
            f.advance(Duration.ofSeconds(1));
            assertThat(idle.getNow(null)).isEqualTo(Scheduler.Finish.DONE);
            assertThat(f.done()).containsExactly(5L);
        }
    }

    @Test
    void jobsWaitingForASlotOrAtAHeldDestinationAreWithdrawn() {
        try (SchedulerFixture f = new SchedulerFixture(SchedulerOptions.defaults().withConcurrency(0, 0))) {
            f.scheduler.hold("held.test", true);
            f.add(6, "a@held.test");
            f.add(7, "b@local.test", "c@x.test");
            f.add(8, "d@x.test");
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attempts).isEmpty();

            CompletableFuture<Scheduler.Finish> held = f.scheduler.finishPending(6, BOUNCED).toFuture();
            CompletableFuture<Scheduler.Finish> waiting = f.scheduler.finishPending(7, DELETED).toFuture();
            f.advance(Duration.ofSeconds(1));
            assertThat(held.getNow(null)).isEqualTo(Scheduler.Finish.DONE);
            assertThat(waiting.getNow(null)).isEqualTo(Scheduler.Finish.DONE);
            assertThat(f.done()).containsExactlyInAnyOrder(6L, 7L);

            // The withdrawn jobs never start; the other message's still does.
            f.scheduler.hold("held.test", false);
            f.scheduler.setOptions(SchedulerOptions.defaults());
            f.advance(Duration.ofSeconds(1));
            assertThat(f.agent.attempts).extracting(a -> a.job().messageId()).containsExactly(8L);
        }
    }

    @Test
    void whatTheSpoolDidNotRecordStaysPending() {
        try (SchedulerFixture f = deferringFixture()) {
            f.add(4, "no@x.test");
            f.advance(Duration.ofSeconds(1));
            f.sinkFails = id -> true;

            CompletableFuture<Scheduler.Finish> failed = f.scheduler.finishPending(4, BOUNCED).toFuture();
            f.advance(Duration.ofSeconds(1));
            assertThat(failed.getNow(null)).isEqualTo(Scheduler.Finish.NOT_RECORDED);
            assertThat(f.events(DeliveryEvent.BounceNeeded.class)).isEmpty();
            assertThat(f.done()).isEmpty();

            // It is still queued and still tried on its schedule (qmail's first retry at 400 s).
            f.sinkFails = id -> false;
            f.agent.outcomes(r -> new RecipientOutcome.Delivered("ok"));
            f.advance(Duration.ofSeconds(400));
            assertThat(f.done()).containsExactly(4L);
        }
    }
}
