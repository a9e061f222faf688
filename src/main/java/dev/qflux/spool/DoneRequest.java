package dev.qflux.spool;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/** A {@link SpoolWriter#recordDone} call waiting for the writer: "these recipients of message id are finished". */
final class DoneRequest {
    final long id;
    final int[] indexes;
    /** Set by the writer thread once it has looked the message up. */
    long segment;
    /** One emitter at a time (the caller when refused, else the writer thread). */
    private final Sinks.One<Void> result = Sinks.unsafe().one();

    DoneRequest(long id, int[] indexes) {
        this.id = id;
        this.indexes = indexes;
    }

    Mono<Void> result() {
        return result.asMono();
    }

    void succeed() {
        result.tryEmitEmpty();
    }

    void fail(Throwable why) {
        result.tryEmitError(why);
    }
}
