package dev.qflux.smtp.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One SMTP reply. Every reply but the greeting and the EHLO/HELO answers carries an RFC 3463
 * enhanced status code (RFC 2034 section 3 exempts exactly those), placed after the code as RFC
 * 2034 requires; qmail's habit of a trailing "(#x.y.z)" is dropped because the prefix says it.
 *
 * @param code     the three-digit reply code
 * @param enhanced "x.y.z" or null where RFC 2034 allows none
 * @param lines    one or more text lines; more than one makes a multi-line reply
 */
public record Reply(int code, String enhanced, List<String> lines) {

    public Reply {
        if (code < 200 || code > 599) {
            throw new IllegalArgumentException("reply code " + code);
        }
        lines = List.copyOf(lines);
        if (lines.isEmpty()) {
            throw new IllegalArgumentException("reply without text");
        }
    }

    public static Reply of(int code, String enhanced, String text) {
        return new Reply(code, enhanced, List.of(text));
    }

    /** A reply without an enhanced code: only for the greeting and HELO/EHLO. */
    public static Reply plain(int code, String text) {
        return new Reply(code, null, List.of(text));
    }

    public boolean isPositive() {
        return code < 400;
    }

    public boolean isTransientFailure() {
        return code >= 400 && code < 500;
    }

    public boolean isPermanentFailure() {
        return code >= 500;
    }

    /** The reply as sent: "250-first\r\n250 2.0.0 last\r\n" (the code on every line, RFC 5321 4.2.1). */
    public byte[] toWire() {
        StringBuilder sb = new StringBuilder(32 * lines.size());
        for (int i = 0; i < lines.size(); i++) {
            boolean last = i == lines.size() - 1;
            sb.append(code).append(last ? ' ' : '-');
            if (enhanced != null) {
                sb.append(enhanced).append(' ');
            }
            sb.append(lines.get(i)).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** For logs and transcripts: the wire form without the final CRLF. */
    @Override
    public String toString() {
        String wire = new String(toWire(), StandardCharsets.UTF_8);
        return wire.substring(0, wire.length() - 2);
    }
}
