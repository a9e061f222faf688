package dev.qflux.pop3;

import java.util.List;
import java.util.function.Function;
import reactor.core.publisher.Mono;

/** What the connection does after a command; sealed, so the transport handles every case. */
sealed interface Step {
    /** Send one status line ({@code +OK ...} or {@code -ERR ...}). */
    record Reply(String line) implements Step {
    }

    /** Send a status line, then lines of a multi-line response (byte-stuffed) and ".". */
    record Lines(String status, List<String> lines) implements Step {
    }

    /** Send a status line, then the message body the reader makes (it adds the final "."). */
    record Stream(String status, MessageReader body) implements Step {
    }

    /** Send the line, then start TLS (RFC 2595 section 4); input read past STLS is dropped. */
    record StartTls(String line) implements Step {
    }

    /** Send the line and close the connection. */
    record Close(String line) implements Step {
    }

    /**
     * Stop reading until {@code work} is done, then, back on the event loop, go on with
     * {@code then}. {@code work} never fails: errors are values.
     */
    record Later<T>(Mono<T> work, Function<T, Step> then) implements Step {
    }
}
