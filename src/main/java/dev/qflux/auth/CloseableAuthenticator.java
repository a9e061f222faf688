package dev.qflux.auth;

/** An {@link Authenticator} that owns threads: close it when the server stops. */
public interface CloseableAuthenticator extends Authenticator, AutoCloseable {
    @Override
    void close();
}
