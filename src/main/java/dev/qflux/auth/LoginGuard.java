package dev.qflux.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.qflux.log.LogSink;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The brakes on password guessing around a {@link BlockingChecker}: checks run on a small bounded
 * scheduler of their own; every failed login is answered only after a delay; a client address
 * with too many failures in a window gets no check at all, only a temporary failure, until the
 * window ends. Logs who logged in or failed, never a password. Thread-safe.
 */
final class LoginGuard implements CloseableAuthenticator {
    /** Checks at once: PBKDF2 and checkpassword are CPU or process bound; two cores here. */
    static final int CHECK_THREADS = 4;
    /** Checks waiting beyond that before new ones are answered "temporarily unavailable". */
    static final int CHECK_QUEUE = 256;
    /** Client addresses whose failures are remembered; the oldest are forgotten first. */
    static final long MAX_TRACKED_CLIENTS = 100_000;

    private final BlockingChecker checker;
    private final LogSink log;
    private final Duration failureDelay;
    private final int maxFailures;
    private final Scheduler scheduler;
    private final Cache<String, AtomicInteger> failures;

    LoginGuard(BlockingChecker checker, LogSink log, Duration failureDelay, int maxFailures,
               Duration window) {
        this.checker = checker;
        this.log = log;
        this.failureDelay = failureDelay;
        this.maxFailures = maxFailures;
        this.scheduler = Schedulers.newBoundedElastic(CHECK_THREADS, CHECK_QUEUE, "qflux-auth", 60, true);
        // Written once at the first failure, so the window runs from there (a fixed window).
        this.failures = Caffeine.newBuilder().expireAfterWrite(window)
                .maximumSize(MAX_TRACKED_CLIENTS).build();
    }

    @Override
    public Mono<AuthResult> authenticate(Credentials c) {
        String client = c.clientAddress() == null ? "unknown" : c.clientAddress();
        AtomicInteger failed = failures.getIfPresent(client);
        if (failed != null && failed.get() >= maxFailures) {
            return delayed(c, new AuthResult.Unavailable("too many failed logins from " + client));
        }
        if (c.user().isEmpty() || c.secret().isEmpty()) {
            return finish(c, client, new AuthResult.Rejected("empty user name or password"));
        }
        return Mono.fromCallable(() -> checker.check(c))
                .subscribeOn(scheduler)
                .onErrorResume(RejectedExecutionException.class,
                        e -> Mono.just(new AuthResult.Unavailable("too many logins being checked")))
                .onErrorResume(e -> Mono.just(new AuthResult.Unavailable(e.toString())))
                .flatMap(result -> finish(c, client, result));
    }

    private Mono<AuthResult> finish(Credentials c, String client, AuthResult result) {
        if (result instanceof AuthResult.Accepted a) {
            log.log("auth: " + c.service() + " login " + printable(a.user()) + " from " + client);
            return Mono.just(result);
        }
        if (result instanceof AuthResult.Rejected) {
            failures.get(client, k -> new AtomicInteger()).incrementAndGet();
        }
        return delayed(c, result);
    }

    private Mono<AuthResult> delayed(Credentials c, AuthResult result) {
        String reason = result instanceof AuthResult.Rejected r ? r.reason()
                : ((AuthResult.Unavailable) result).reason();
        log.log("auth: " + c.service() + " login failed for " + printable(c.user()) + " from "
                + c.clientAddress() + ": " + reason);
        return failureDelay.isZero() ? Mono.just(result) : Mono.delay(failureDelay).thenReturn(result);
    }

    /** A user name as the client sent it may hold anything: keep log lines one line. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }

    @Override
    public void close() {
        scheduler.dispose();
    }
}
