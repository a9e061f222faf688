package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * A delivery agent standing in for routing and delivery: each recipient's outcome comes from a
 * rule, each destination answers after its own latency on the given (virtual) clock, or never.
 * It records when each attempt started and how many ran at once per destination.
 */
final class SimulatedDestinations implements DeliveryAgent {

    /** An attempt as the agent saw it: when (clock millis), which job. */
    record Attempt(long atMillis, DeliveryJob job) {
    }

    private final Scheduler clock;
    private final Map<String, Duration> latency = new ConcurrentHashMap<>();
    private volatile Function<String, RecipientOutcome> outcomeOf = r -> new RecipientOutcome.Delivered("ok");
    final List<Attempt> attempts = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final Map<String, Integer> maxRunning = new ConcurrentHashMap<>();
    private final AtomicInteger runningTotal = new AtomicInteger();
    private final AtomicInteger maxRunningTotal = new AtomicInteger();

    SimulatedDestinations(Scheduler clock) {
        this.clock = clock;
    }

    /** Outcome per recipient address. */
    SimulatedDestinations outcomes(Function<String, RecipientOutcome> rule) {
        this.outcomeOf = rule;
        return this;
    }

    /** Answers after {@code d}; {@code null} never answers. */
    SimulatedDestinations latency(String destination, Duration d) {
        latency.put(destination, d == null ? Duration.ofDays(-1) : d);
        return this;
    }

    @Override
    public Mono<List<RecipientOutcome>> attempt(DeliveryJob job) {
        return Mono.defer(() -> {
            attempts.add(new Attempt(clock.now(java.util.concurrent.TimeUnit.MILLISECONDS), job));
            int n = running.computeIfAbsent(job.destination(), d -> new AtomicInteger()).incrementAndGet();
            maxRunning.merge(job.destination(), n, Math::max);
            int total = runningTotal.incrementAndGet();
            maxRunningTotal.accumulateAndGet(total, Math::max);
            List<RecipientOutcome> outcomes = new ArrayList<>();
            job.recipients().forEach(r -> outcomes.add(outcomeOf.apply(r)));
            Duration d = latency.getOrDefault(job.destination(), Duration.ZERO);
            Mono<List<RecipientOutcome>> answer = d.isNegative()
                    ? Mono.never()
                    : Mono.delay(d, clock).map(x -> (List<RecipientOutcome>) outcomes);
            return answer.doFinally(s -> {
                running.get(job.destination()).decrementAndGet();
                runningTotal.decrementAndGet();
            });
        });
    }

    /** Attempt start times (seconds after {@code birthMillis}) for one message. */
    List<Long> attemptSeconds(long messageId, long birthMillis) {
        List<Long> times = new ArrayList<>();
        for (Attempt a : attempts) {
            if (a.job().messageId() == messageId) {
                times.add((a.atMillis() - birthMillis) / 1000);
            }
        }
        return times;
    }

    long attemptsTo(String destination) {
        return attempts.stream().filter(a -> a.job().destination().equals(destination)).count();
    }

    Map<String, Integer> maxRunningPerDestination() {
        return Collections.unmodifiableMap(new HashMap<>(maxRunning));
    }

    int maxRunningTotal() {
        return maxRunningTotal.get();
    }
}
