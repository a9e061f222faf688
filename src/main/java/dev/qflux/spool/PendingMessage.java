package dev.qflux.spool;

import io.netty.buffer.ByteBuf;
import io.netty.util.IllegalReferenceCountException;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A message handed to the writer and not yet answered. It owns the body until it is answered;
 * answering releases the body first, so a caller that sees the result sees the buffer freed.
 */
final class PendingMessage {
    final Envelope addresses;
    final byte[] envelope;
    final ByteBuf body;
    final int bodyLength;
    /** Where the appender put the record; set on the writer thread by SegmentAppender.write. */
    long segment;
    long bodyOffset;
    /** One emitter (the writer thread), so the unsynchronised sink is enough. */
    private final Sinks.One<QueuedMessage> result = Sinks.unsafe().one();
    private boolean answered;

    PendingMessage(Envelope addresses, byte[] envelope, ByteBuf body) {
        this.addresses = addresses;
        this.envelope = envelope;
        this.body = body;
        this.bodyLength = body.readableBytes();
    }

    Mono<QueuedMessage> result() {
        return result.asMono();
    }

    /** Header, envelope and body: what this message adds to its segment. */
    long recordBytes() {
        return RecordFormat.RECORD_HEADER_BYTES + envelope.length + (long) bodyLength;
    }

    /** What the queue knows of this message once it is durable as {@code id}. */
    QueueEntry entry(long id, long birthMillis) {
        return new QueueEntry(id, birthMillis, bodyLength, addresses.sender(), addresses.recipients(), segment,
                bodyOffset);
    }

    boolean answered() {
        return answered;
    }

    void succeed(long id, long birthMillis) {
        answer();
        result.tryEmitValue(new QueuedMessage(id, bodyLength, birthMillis));
    }

    void fail(SpoolException reason) {
        answer();
        result.tryEmitError(reason);
    }

    private void answer() {
        if (answered) {
            throw new IllegalStateException("message answered twice");
        }
        answered = true;
        releaseBody();
    }

    private void releaseBody() {
        release(body);
    }

    static void release(ByteBuf body) {
        try {
            body.release();
        } catch (IllegalReferenceCountException callerAlreadyFreedIt) {
            // not ours to fix here; the message is answered either way
        }
    }
}
