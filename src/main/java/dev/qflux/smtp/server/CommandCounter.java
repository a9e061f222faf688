package dev.qflux.smtp.server;

/**
 * Told of every SMTP command and the code of its reply, on the session's event loop: an
 * implementation must only count (no I/O, no locks).
 */
@FunctionalInterface
public interface CommandCounter {
    CommandCounter NONE = (verb, code) -> { };

    void count(String verb, int replyCode);
}
