package dev.qflux.local;

import java.nio.charset.StandardCharsets;

/** Program output and error texts made fit for a log line and a bounce. */
final class Texts {
    /** Longest text kept from a program's output: qmail-local's bounces quote a few lines. */
    static final int MAX_TEXT = 1000;

    private Texts() {
    }

    /** As qmail-send logs it: newlines become {@code /}, other control characters {@code _}. */
    static String oneLine(byte[] output) {
        String s = new String(output, StandardCharsets.UTF_8).strip();
        StringBuilder b = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length() && b.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            b.append(c == '\n' ? '/' : c < 0x20 || c == 0x7f ? '_' : c);
        }
        return b.toString();
    }
}
