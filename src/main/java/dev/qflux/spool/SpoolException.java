package dev.qflux.spool;

/**
 * Why the spool did not take a message: a closed set, so the SMTP side can answer precisely.
 * Either way nothing of the message will ever be delivered.
 */
public abstract sealed class SpoolException extends Exception permits SpoolFullException, SpoolWriteException {
    SpoolException(String message, Throwable cause, boolean withStackTrace) {
        super(message, cause, false, withStackTrace);
    }
}
