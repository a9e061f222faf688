package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;
import dev.qflux.spool.Envelope;
import dev.qflux.spool.SpoolFullException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Mono;

/**
 * The end of a message: prepend qmail's Received line, hand message and envelope to the spool,
 * and turn the outcome into the reply. The {@code 250} is only ever produced from the spool's
 * durable completion (design.md invariant 1); every failure becomes 451/452 and, by the spool's
 * contract, leaves nothing that will be delivered.
 */
final class MessageAcceptor {
    private MessageAcceptor() {
    }

    static Mono<Reply> accept(ServerContext server, SessionContext ctx, SmtpSession session,
                              Transaction tx, ByteBuf content, ByteBufAllocator alloc) {
        long start = System.nanoTime();
        long now = ctx.clock().millis();
        String received = ReceivedLine.format(session.helo(), ctx.clientIp(), ctx.config().me(),
                session.protocol(), now);
        byte[] header = received.getBytes(StandardCharsets.US_ASCII);
        ByteBuf head = alloc.directBuffer(header.length).writeBytes(header);
        CompositeByteBuf body = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        body.addComponent(true, head).addComponent(true, content);
        Envelope envelope = new Envelope(tx.from.address(), tx.recipients);
        return ctx.spool().accept(envelope, body)
                .map(queued -> {
                    server.acceptLatency().recordNanos(System.nanoTime() - start);
                    ctx.log().log("new msg " + queued.id());
                    ctx.log().log("info msg " + queued.id() + ": bytes " + queued.bytes()
                            + " from <" + envelope.sender() + "> qp " + ctx.qp() + " uid " + ctx.uid());
                    return Reply.of(250, "2.0.0", "ok " + now / 1000 + " qp " + ctx.qp()
                            + " msg " + queued.id());
                })
                .onErrorResume(SpoolFullException.class, e -> Mono.just(Replies.NO_STORAGE))
                .onErrorResume(e -> {
                    ctx.log().log("warning: qp " + ctx.qp() + ": queue write failed: " + e.getMessage());
                    return Mono.just(Replies.QUEUE_FAILED);
                });
    }

    /** The reply for a message refused while it was read. */
    static Reply refusal(MessageReceiver.Verdict verdict) {
        return switch (verdict) {
            case TOO_BIG -> Replies.SIZE_EXCEEDED;
            case NO_MEMORY -> Replies.NO_STORAGE;
            case BARE_LINE_ENDING -> Replies.BDAT_BARE_LINE_ENDING;
            case LINE_TOO_LONG -> Replies.DATA_LINE_TOO_LONG;
            case LOOPING -> Replies.LOOPING;
            case OK -> throw new IllegalArgumentException("not a refusal");
        };
    }
}
