package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Runs one job through the agent and the outcome sink and never fails: whatever goes wrong
 * becomes a deferral (qmail-send treats a crashed qmail-remote the same way), a queue lifetime's
 * last try turns deferrals into failures, and the result says whether the sink recorded it.
 */
final class AttemptRunner {

    /** What one attempt came to; {@code recorded} false means nothing of it may count as done. */
    record Result(List<RecipientOutcome> outcomes, boolean recorded) {
    }

    private final OutcomeSink sink;

    AttemptRunner(OutcomeSink sink) {
        this.sink = sink;
    }

    Mono<Result> run(DeliveryAgent agent, DeliveryJob job) {
        int n = job.recipients().size();
        return Mono.defer(() -> agent.attempt(job))
                .map(outcomes -> outcomes.size() == n
                        ? List.copyOf(outcomes)
                        : deferAll(n, "delivery agent answered " + outcomes.size() + " outcomes for " + n
                                + " recipients (#4.3.0)"))
                .switchIfEmpty(Mono.fromSupplier(() -> deferAll(n, "delivery agent gave no outcome (#4.3.0)")))
                .onErrorResume(e -> Mono.just(deferAll(n, "delivery agent failed: " + describe(e) + " (#4.3.0)")))
                .map(outcomes -> job.lastTry() ? giveUp(outcomes) : outcomes)
                .flatMap(outcomes -> Mono.defer(() -> sink.record(job, outcomes))
                        .then(Mono.just(new Result(outcomes, true)))
                        .onErrorResume(e -> Mono.just(new Result(outcomes, false))));
    }

    /** qmail-send.c: after queuelifetime a deferral is final, its reason kept, then {@link RetrySchedule#GIVE_UP}. */
    private static List<RecipientOutcome> giveUp(List<RecipientOutcome> outcomes) {
        List<RecipientOutcome> result = new ArrayList<>(outcomes.size());
        for (RecipientOutcome o : outcomes) {
            result.add(o instanceof RecipientOutcome.Deferred
                    ? new RecipientOutcome.Failed(RetrySchedule.giveUpText(o.text()))
                    : o);
        }
        return List.copyOf(result);
    }

    private static List<RecipientOutcome> deferAll(int n, String text) {
        return Collections.nCopies(n, new RecipientOutcome.Deferred(text));
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String text = message == null ? e.getClass().getSimpleName() : message;
        // Outcome texts are one line (RecipientOutcome).
        return text.replace('\r', ' ').replace('\n', ' ');
    }
}
