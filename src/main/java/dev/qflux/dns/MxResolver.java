package dev.qflux.dns;

import reactor.core.publisher.Mono;

/** Finds where mail for a domain goes. */
public interface MxResolver {
    /**
     * The MX hosts of {@code domain}, or why there are none. Never blocks a thread; the Mono
     * always completes with an answer (an unusable name is {@link MxAnswer.NoSuchDomain}).
     * Address literals ({@code [1.2.3.4]}) are not domains and must be handled by the caller.
     */
    Mono<MxAnswer> resolve(String domain);
}
