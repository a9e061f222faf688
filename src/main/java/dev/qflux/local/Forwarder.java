package dev.qflux.local;

import io.netty.buffer.ByteBuf;
import java.util.List;
import reactor.core.publisher.Mono;

/** Queues a forwarded copy of a message, as qmail-local hands forwards to qmail-queue. */
public interface Forwarder {
    /**
     * Queues {@code message} (CRLF lines, our {@code Delivered-To:} line already first) for
     * {@code recipients} with envelope sender {@code sender}; completes once the copy is durable.
     * Takes ownership of {@code message} and releases it in every case. An error means the forward
     * failed for now: the recipient is deferred and delivered again later.
     */
    Mono<Void> forward(String sender, List<String> recipients, ByteBuf message);
}
