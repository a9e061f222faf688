package dev.qflux.spool;

/**
 * The spool has no room now: the disk is below its free-space floor, too many messages wait for
 * the writer, or the queue is shutting down. SMTP answers {@code 452 4.3.1} (RFC 3463: mail system
 * full) and the client retries later. Thrown often under load, so it carries no stack trace.
 */
public final class SpoolFullException extends SpoolException {
    public SpoolFullException(String message) {
        super(message, null, false);
    }
}
