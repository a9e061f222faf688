package dev.qflux.auth;

/** A credential check that blocks (hashing, a child process); run only on the auth scheduler. */
interface BlockingChecker {
    AuthResult check(Credentials credentials);
}
