package dev.qflux.deliver;

import dev.qflux.bounce.BounceDecision;
import dev.qflux.bounce.Bouncer;
import dev.qflux.bounce.FailedRecipient;
import dev.qflux.log.LogSink;
import dev.qflux.schedule.DeliveryJob;
import dev.qflux.schedule.OutcomeSink;
import dev.qflux.spool.SpoolWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Makes outcomes durable in the spool's state log, in the order that loses nothing
 * (design.md invariant 2): a failed recipient is marked done only after its bounce is itself
 * durably queued, so a crash in between repeats the bounce rather than losing it.
 */
final class SpoolOutcomes implements OutcomeSink {
    private final SpoolWriter spool;
    private final MessageIndex index;
    private final Bouncer bouncer;
    private final LogSink log;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

    SpoolOutcomes(SpoolWriter spool, MessageIndex index, Bouncer bouncer, LogSink log) {
        this.spool = spool;
        this.index = index;
        this.bouncer = bouncer;
        this.log = log;
    }

    @Override
    public Mono<Void> record(DeliveryJob job, List<RecipientOutcome> outcomes) {
        long messageId = job.messageId();
        int[] recipientIndexes = job.recipientIndexes();
        List<Integer> finished = new ArrayList<>();
        List<FailedRecipient> failed = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            RecipientOutcome o = outcomes.get(i);
            if (o instanceof RecipientOutcome.Deferred) {
                continue;
            }
            finished.add(recipientIndexes[i]);
            if (o instanceof RecipientOutcome.Failed f) {
                failed.add(new FailedRecipient(job.recipients().get(i), f.text(), null));
            }
        }
        if (finished.isEmpty()) {
            return Mono.empty();
        }
        int[] done = finished.stream().mapToInt(Integer::intValue).toArray();
        Mono<Void> bounce = failed.isEmpty() ? Mono.empty() : bounce(job, failed);
        return bounce.then(Mono.defer(() -> spool.recordDone(messageId, done)));
    }

    private Mono<Void> bounce(DeliveryJob job, List<FailedRecipient> failed) {
        MessageIndex.Entry entry = index.get(job.messageId());
        if (entry == null) {
            // Cannot happen while the message is queued; refusing keeps the recipients pending.
            return Mono.error(new IllegalStateException("message " + job.messageId() + " is not in the index"));
        }
        return readWhole(entry).flatMap(original -> {
            BounceDecision decision;
            try {
                decision = bouncer.decide(entry.sender(), job.messageId(), Instant.ofEpochMilli(job.birthMillis()),
                        failed, original, alloc);
            } finally {
                original.release();
            }
            if (decision instanceof BounceDecision.Drop drop) {
                log.log(drop.logLine());
                return Mono.empty();
            }
            var envelope = decision instanceof BounceDecision.Bounce b ? b.envelope()
                    : ((BounceDecision.DoubleBounce) decision).envelope();
            ByteBuf message = decision instanceof BounceDecision.Bounce b ? b.message()
                    : ((BounceDecision.DoubleBounce) decision).message();
            return spool.accept(envelope, message)
                    .doOnNext(q -> log.log("bounce msg " + job.messageId() + " qp " + q.id()))
                    .then();
        });
    }

    /** The stored message as one buffer: bounces quote it (or its header section). */
    private Mono<ByteBuf> readWhole(MessageIndex.Entry entry) {
        return spool.readBody(entry.segment(), entry.bodyOffset(), entry.bytes())
                .collect(() -> alloc.compositeDirectBuffer(Integer.MAX_VALUE),
                        (CompositeByteBuf all, ByteBuf chunk) -> all.addComponent(true, chunk))
                .map(b -> (ByteBuf) b)
                // A read that fails part-way: release what was collected and what was in flight.
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }
}
