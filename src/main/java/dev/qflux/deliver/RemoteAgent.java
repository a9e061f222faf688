package dev.qflux.deliver;

import dev.qflux.deliver.remote.RemoteDelivery;
import dev.qflux.route.Route;
import dev.qflux.route.Router;
import dev.qflux.schedule.DeliveryAgent;
import dev.qflux.schedule.DeliveryJob;
import dev.qflux.spool.SpoolWriter;
import java.util.Collections;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The scheduler's remote channel (qmail-rspawn + qmail-remote): one SMTP transaction per job,
 * carrying every pending recipient of the message for that destination, its body read afresh
 * from the spool for each host tried.
 */
final class RemoteAgent implements DeliveryAgent {
    private final Router router;
    private final TargetResolver targets;
    private final RemoteDelivery remote;
    private final SpoolWriter spool;
    private final MessageIndex index;

    RemoteAgent(Router router, TargetResolver targets, RemoteDelivery remote, SpoolWriter spool,
                MessageIndex index) {
        this.router = router;
        this.targets = targets;
        this.remote = remote;
        this.spool = spool;
        this.index = index;
    }

    @Override
    public Mono<List<RecipientOutcome>> attempt(DeliveryJob job) {
        MessageIndex.Entry entry = index.get(job.messageId());
        if (entry == null || job.local()) {
            // Local recipients are held (see DeliveryService); an unknown id cannot happen.
            return Mono.just(all(job, new RecipientOutcome.Deferred(
                    "qflux has no local delivery agent yet; the message waits in the queue. (#4.3.0)")));
        }
        Route route = router.route(job.recipients().get(0));
        if (!(route instanceof Route.Remote remoteRoute)) {
            return Mono.just(all(job, new RecipientOutcome.Deferred("routing changed; trying again later")));
        }
        return targets.resolve(remoteRoute).flatMap(resolution -> {
            if (resolution instanceof TargetResolver.Resolution.Unreachable u) {
                return Mono.just(all(job, u.outcome()));
            }
            var target = ((TargetResolver.Resolution.Hosts) resolution).target();
            return remote.deliver(target, entry.sender(), job.recipients(), entry.bytes(),
                            () -> spool.readBody(entry.segment(), entry.bodyOffset(), entry.bytes()))
                    .map(result -> result.recipients());
        });
    }

    private static List<RecipientOutcome> all(DeliveryJob job, RecipientOutcome outcome) {
        return Collections.nCopies(job.recipients().size(), outcome);
    }
}
