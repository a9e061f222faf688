package dev.qflux.deliver;

import dev.qflux.local.Forwarder;
import dev.qflux.log.LogSink;
import dev.qflux.spool.Envelope;
import dev.qflux.spool.SpoolWriter;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * Forwards from .qmail files queued as new messages, as qmail-local hands them to qmail-queue:
 * the forward counts as done only once the copy is durable in the spool, which then delivers it
 * like any other message. Logged as qmail-send logs a new message.
 */
final class SpoolForwarder implements Forwarder {
    private final SpoolWriter spool;
    private final LogSink log;
    private final long uid;

    SpoolForwarder(SpoolWriter spool, LogSink log) {
        this.spool = spool;
        this.log = log;
        this.uid = ownUid();
    }

    /** For the "info msg ... uid U" line; read once at start. */
    private static long ownUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return -1;
        }
    }

    @Override
    public Mono<Void> forward(String sender, List<String> recipients, ByteBuf message) {
        long bytes = message.readableBytes();
        return spool.accept(new Envelope(sender, recipients), message)
                .doOnNext(queued -> {
                    log.log("new msg " + queued.id());
                    log.log("info msg " + queued.id() + ": bytes " + bytes + " from <" + sender + "> qp "
                            + queued.id() + " uid " + uid);
                })
                .then();
    }
}
