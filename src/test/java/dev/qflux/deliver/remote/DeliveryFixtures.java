package dev.qflux.deliver.remote;

import dev.qflux.deliver.RecipientOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;

/** Shared pieces for delivery tests: options, targets, bodies. */
final class DeliveryFixtures {
    /** Bounds a whole delivery in a test; generous for a busy 2-core machine. */
    static final Duration DELIVERY_BOUND = Duration.ofSeconds(60);

    private DeliveryFixtures() {
    }

    static RemoteOptions options(Duration replyTimeout) {
        return new RemoteOptions("client.test", Duration.ofSeconds(10), replyTimeout, 4,
                Duration.ofSeconds(60), true, null);
    }

    static RemoteTarget target(RemoteTarget.Host... hosts) {
        return new RemoteTarget("example.test", List.of(hosts));
    }

    static Supplier<Flux<ByteBuf>> body(String text) {
        return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Hands out the bytes afresh in three pieces, as a spool read might. */
    static Supplier<Flux<ByteBuf>> body(byte[] bytes) {
        return () -> Flux.defer(() -> {
            int third = bytes.length / 3;
            return Flux.just(Unpooled.wrappedBuffer(bytes, 0, third),
                    Unpooled.wrappedBuffer(bytes, third, third),
                    Unpooled.wrappedBuffer(bytes, 2 * third, bytes.length - 2 * third));
        });
    }

    static RemoteResult deliver(SmtpClientDelivery delivery, RemoteTarget target, List<String> recipients,
                                String body) {
        return delivery.deliver(target, "sender@client.test", recipients, body.length(), body(body))
                .block(DELIVERY_BOUND);
    }

    static RecipientOutcome only(RemoteResult result) {
        if (result.recipients().size() != 1) {
            throw new AssertionError("expected one outcome: " + result);
        }
        return result.recipients().get(0);
    }
}
