package dev.qflux.deliver.remote;

import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Delivers one message to one destination by SMTP (qmail-remote's job). */
public interface RemoteDelivery {
    /**
     * One transaction carrying all recipients for this destination. The result has an outcome
     * for every recipient, in order; the Mono does not fail for anything the network or the
     * remote host does.
     *
     * @param size the message size in bytes, for SIZE (RFC 1870)
     * @param body supplies the stored message (CRLF lines, not dot-stuffed) afresh for each
     *             attempt and host; each buffer handed out is released by the delivery
     */
    Mono<RemoteResult> deliver(RemoteTarget target, String sender, List<String> recipients, long size,
                               Supplier<Flux<ByteBuf>> body);
}
