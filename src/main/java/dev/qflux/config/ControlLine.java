package dev.qflux.config;

import java.nio.file.Path;

/**
 * One line of a control file, with what an error message needs to point at it.
 *
 * @param text     the line with trailing blanks removed (qmail's control.c strips them)
 * @param validUtf8 false when the bytes were not UTF-8; {@link #content()} refuses such a line
 */
record ControlLine(Path file, int number, String text, boolean validUtf8) {
    /** Longest piece of a bad value quoted back in an error message: keeps messages one short line. */
    static final int MAX_QUOTED = 80;

    /** An error about this line: {@code path:line: what}. */
    ConfigException error(String what) {
        return new ConfigException(file + ":" + number + ": " + what);
    }

    /**
     * The text, checked to be UTF-8 without control characters (tab allowed): such characters
     * would otherwise reach SMTP replies, logs or envelope addresses.
     */
    String content() throws ConfigException {
        if (!validUtf8) {
            throw error("not valid UTF-8");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                throw error(String.format("control character 0x%02x", (int) c));
            }
        }
        return text;
    }

    /** {@code s} in double quotes, shortened and with control characters escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        int end = Math.min(s.length(), MAX_QUOTED);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(end < s.length() ? "...\"" : "\"").toString();
    }
}
