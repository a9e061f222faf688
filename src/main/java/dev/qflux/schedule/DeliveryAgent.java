package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.util.List;
import reactor.core.publisher.Mono;

/** Whatever carries out one job: routing with remote or local delivery in qflux, a simulation in tests. */
@FunctionalInterface
public interface DeliveryAgent {
    /**
     * Attempts the job's recipients, all for one destination. The outcomes come in the order of
     * {@link DeliveryJob#recipients()}, one each. The Mono must not block; it owns its timeouts
     * (an attempt that never completes holds one of its destination's slots). An error, an empty
     * Mono or a list of the wrong size defers every recipient of the job.
     */
    Mono<List<RecipientOutcome>> attempt(DeliveryJob job);
}
