package dev.qflux.auth;

import reactor.core.publisher.Mono;

/**
 * Checks credentials, as checkpassword does for qmail-popup: SMTP AUTH and POP3 share one
 * implementation, named by {@code control/checkpassword} or {@code control/passwords}.
 */
public interface Authenticator {
    /**
     * Checks one login attempt. Hashing and program runs happen on a bounded scheduler, never on
     * the caller's thread. A wrong user or password is {@link AuthResult.Rejected}, not an error;
     * a checker that cannot answer (program crashed, file unreadable) is
     * {@link AuthResult.Unavailable}, a temporary failure.
     */
    Mono<AuthResult> authenticate(Credentials credentials);
}
