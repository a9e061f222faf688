package dev.qflux.local;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;

/** A mailbox write that failed; the message is qmail-local's kind of text, ready for a log. */
final class MailboxException extends Exception {
    private static final long serialVersionUID = 1L;

    MailboxException(String message) {
        super(message, null, false, false);
    }

    /** A short reason for an I/O failure, without the stack or the Java class name. */
    static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        if (e instanceof IOException && e.getMessage() != null) {
            return e.getMessage();
        }
        return e.getClass().getSimpleName();
    }
}
