package dev.qflux.deliver.remote;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Reads a message once to learn whether it has 8-bit bytes, so MAIL can say BODY=8BITMIME
 * (RFC 6152 3). Only done when the server offers 8BITMIME; otherwise the content is sent as it
 * is, as qmail-remote does. Releases every buffer.
 */
final class BodyScan {
    private BodyScan() {
    }

    static Mono<Boolean> hasEightBit(Supplier<Flux<ByteBuf>> body) {
        return Flux.defer(body).map(buf -> {
                    try {
                        return buf.forEachByte(b -> b >= 0) >= 0;
                    } finally {
                        buf.release();
                    }
                })
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .any(eightBit -> eightBit)
                .onErrorMap(MailTransaction.BodyError::new);
    }
}
