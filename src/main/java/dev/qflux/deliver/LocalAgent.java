package dev.qflux.deliver;

import dev.qflux.local.LocalDelivery;
import dev.qflux.route.Route;
import dev.qflux.route.Router;
import dev.qflux.schedule.DeliveryAgent;
import dev.qflux.schedule.DeliveryJob;
import dev.qflux.spool.SpoolWriter;
import java.util.Collections;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The scheduler's local channel (qmail-lspawn): each local recipient of the job delivered in turn
 * through its .qmail file, the body read afresh from the spool for each. concurrencylocal bounds
 * the jobs; within one message the recipients go one after another, as qmail-send starts one
 * qmail-local per recipient.
 */
final class LocalAgent implements DeliveryAgent {
    private final Router router;
    private final LocalDelivery local;
    private final SpoolWriter spool;
    private final MessageIndex index;

    LocalAgent(Router router, LocalDelivery local, SpoolWriter spool, MessageIndex index) {
        this.router = router;
        this.local = local;
        this.spool = spool;
        this.index = index;
    }

    @Override
    public Mono<List<RecipientOutcome>> attempt(DeliveryJob job) {
        MessageIndex.Entry entry = index.get(job.messageId());
        if (entry == null) {
            return Mono.just(Collections.nCopies(job.recipients().size(),
                    new RecipientOutcome.Deferred("message " + job.messageId() + " is not in the index (#4.3.0)")));
        }
        return Flux.fromIterable(job.recipients())
                .concatMap(recipient -> {
                    Route route = router.route(recipient);
                    if (!(route instanceof Route.Local l)) {
                        return Mono.just((RecipientOutcome) new RecipientOutcome.Deferred(
                                "routing changed; trying again later"));
                    }
                    return local.deliver(entry.sender(), l, entry.bytes(),
                            () -> spool.readBody(entry.segment(), entry.bodyOffset(), entry.bytes()));
                })
                .collectList();
    }
}
