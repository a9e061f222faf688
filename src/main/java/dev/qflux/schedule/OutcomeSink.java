package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Where outcomes are made durable (the spool's state log). The scheduler counts a Delivered or
 * Failed recipient as done only once {@link #record} completes; if it errors, the recipients stay
 * pending and are tried again (a repeat, never a loss: design.md invariant 2).
 */
@FunctionalInterface
public interface OutcomeSink {
    /**
     * Records one attempt's outcomes, in the order of {@link DeliveryJob#recipients()} (all of
     * them, deferrals included; a sink may keep only what it needs). May batch; completes when
     * recorded. Must not block.
     */
    Mono<Void> record(DeliveryJob job, List<RecipientOutcome> outcomes);
}
