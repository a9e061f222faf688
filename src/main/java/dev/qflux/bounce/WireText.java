package dev.qflux.bounce;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Text the way a message carries it: CRLF lines of bounded length, dates, safe characters. */
final class WireText {
    /** RFC 5322 §2.1.1: a line MUST be no more than 998 octets, excluding the CRLF. */
    static final int MAX_LINE_OCTETS = 998;

    /** RFC 5322 §2.1.1: a line SHOULD be no more than 78 characters; headers fold there. */
    static final int FOLD_AT = 78;

    static final String CRLF = "\r\n";

    /** RFC 5322 §3.3 date-time, always in UTC. */
    private static final DateTimeFormatter DATE_5322 =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss '+0000'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private WireText() {
    }

    static String date(Instant when) {
        return DATE_5322.format(when);
    }

    /**
     * Appends {@code name: value} folded (RFC 5322 §2.2.3: a CRLF inserted before a space) so
     * lines stay near {@link #FOLD_AT}; unfolding gives the value back exactly. A single word too
     * long for {@link #MAX_LINE_OCTETS} is split, the one way left to keep the line limit.
     */
    static void header(StringBuilder out, String name, String value) {
        StringBuilder line = new StringBuilder(name).append(':');
        String[] words = value.strip().split(" ", -1);
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            // Never fold before an empty word: the new line would hold only white space.
            boolean fold = i > 0 && !word.isEmpty() && octets(line) + 1 + octets(word) > FOLD_AT;
            if (fold) {
                out.append(line).append(CRLF);
                line.setLength(0);
            }
            line.append(' ');
            String rest = word;
            while (octets(line) + octets(rest) > MAX_LINE_OCTETS) {
                int cut = fit(rest, MAX_LINE_OCTETS - octets(line));
                line.append(rest, 0, cut);
                out.append(line).append(CRLF);
                line.setLength(0);
                line.append(' ');
                rest = rest.substring(cut);
            }
            line.append(rest);
        }
        out.append(line).append(CRLF);
    }

    /**
     * Appends one body line, wrapped at the last space before {@link #MAX_LINE_OCTETS} when it is
     * longer (remote replies are not bounded by anything but their sender).
     */
    static void bodyLine(StringBuilder out, String text) {
        for (String line : wrap(text)) {
            out.append(line).append(CRLF);
        }
    }

    static List<String> wrap(String text) {
        List<String> lines = new ArrayList<>(1);
        String rest = text;
        while (octets(rest) > MAX_LINE_OCTETS) {
            int cut = fit(rest, MAX_LINE_OCTETS);
            int space = rest.lastIndexOf(' ', cut);
            if (space > 0) {
                lines.add(rest.substring(0, space));
                rest = rest.substring(space + 1);
            } else {
                lines.add(rest.substring(0, cut));
                rest = rest.substring(cut);
            }
        }
        lines.add(rest);
        return lines;
    }

    /** Control characters (CR, LF, NUL...) become '?', so no text can break a line or a header. */
    static String safe(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(s);
                }
                sb.setCharAt(i, '?');
            }
        }
        return sb == null ? s : sb.toString();
    }

    /** {@link #safe} and every non-ASCII character as '?': for the US-ASCII delivery-status part. */
    static String ascii(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> sb.append(cp < 0x20 || cp >= 0x7f ? '?' : (char) cp));
        return sb.toString();
    }

    static boolean isAscii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    static int octets(CharSequence s) {
        return s.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    /** The longest prefix of {@code s} (in chars, never splitting a code point) within {@code max} octets. */
    private static int fit(String s, int max) {
        int used = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (used + len > max) {
                break;
            }
            used += len;
            i += Character.charCount(cp);
        }
        return Math.max(i, 1);
    }
}
