package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A scheduler on virtual time with simulated destinations, a recording sink and every event kept.
 * Recipients {@code *@local.test} are local; the destination is the domain.
 */
final class SchedulerFixture implements AutoCloseable {

    /** What the sink was given, in order. */
    record Recorded(long messageId, int[] indexes, List<RecipientOutcome> outcomes) {
    }

    final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    final SimulatedDestinations agent = new SimulatedDestinations(clock);
    final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    final List<DeliveryEvent> events = new CopyOnWriteArrayList<>();
    /** Make the sink fail while this returns true. */
    volatile Function<Long, Boolean> sinkFails = id -> false;
    final Scheduler scheduler;

    SchedulerFixture(SchedulerOptions options) {
        OutcomeSink sink = (job, outcomes) -> Mono.defer(() -> {
            if (sinkFails.apply(job.messageId())) {
                return Mono.error(new IllegalStateException("state log unwritable"));
            }
            recorded.add(new Recorded(job.messageId(), job.recipientIndexes(), outcomes));
            return Mono.empty();
        });
        scheduler = new Scheduler(options, agent, sink, SchedulerFixture::domain, r -> r.endsWith("@local.test"), clock);
        scheduler.events().subscribe(events::add);
    }

    static SchedulerFixture withDefaults() {
        return new SchedulerFixture(SchedulerOptions.defaults());
    }

    static String domain(String recipient) {
        return recipient.substring(recipient.indexOf('@') + 1);
    }

    static RecipientOutcome deferred() {
        return new RecipientOutcome.Deferred("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)");
    }

    long now() {
        return clock.now(java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    void add(long id, String... recipients) {
        scheduler.add(id, now(), List.of(recipients), new BitSet());
    }

    void advance(Duration d) {
        clock.advanceTimeBy(d);
    }

    <T extends DeliveryEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).collect(Collectors.toList());
    }

    List<Long> done() {
        return events(DeliveryEvent.MessageDone.class).stream().map(DeliveryEvent::messageId)
                .collect(Collectors.toList());
    }

    @Override
    public void close() {
        scheduler.close();
        clock.dispose();
    }
}
