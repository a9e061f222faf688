package dev.qflux.spool;

/**
 * Writing or syncing the message failed (an I/O error such as EIO or ENOSPC), or the writer is in
 * its failed state. SMTP answers {@code 451 4.3.0}. The message's bytes were removed from the
 * segment before this was reported, so recovery will never find it.
 */
public final class SpoolWriteException extends SpoolException {
    public SpoolWriteException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
