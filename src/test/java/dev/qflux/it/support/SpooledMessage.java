package dev.qflux.it.support;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One message as the spool holds it: envelope and the exact body bytes (qflux's Received line
 * first, then what the client sent, CRLF line ends, dot-stuffing undone).
 */
public record SpooledMessage(String id, String sender, List<String> recipients, byte[] body) {
    private static final byte[] CRLF = {'\r', '\n'};

    public SpooledMessage {
        recipients = List.copyOf(recipients);
    }

    /** The body decoded as UTF-8 (headers may carry UTF-8 under SMTPUTF8). */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The first header with this name, unfolded, without the name; empty if absent. */
    public Optional<String> header(String name) {
        String prefix = name.toLowerCase(Locale.ROOT) + ":";
        String[] lines = headerBlock().split("\r\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).startsWith(prefix)) {
                StringBuilder value = new StringBuilder(lines[i].substring(prefix.length()));
                while (i + 1 < lines.length && startsWithBlank(lines[i + 1])) {
                    value.append(' ').append(lines[++i].strip());
                }
                return Optional.of(value.toString().strip());
            }
        }
        return Optional.empty();
    }

    public Optional<String> messageId() {
        return header("Message-ID");
    }

    /** The first header field as it is stored (with its CRLFs), expected to be qflux's Received. */
    public String firstHeaderField() {
        return new String(body, 0, firstFieldLength(), StandardCharsets.UTF_8);
    }

    /** The body without the first header field: the bytes the client sent, if nothing else changed. */
    public byte[] bodyAfterFirstHeader() {
        return Arrays.copyOfRange(body, firstFieldLength(), body.length);
    }

    public boolean endsWith(String text) {
        byte[] tail = text.getBytes(StandardCharsets.UTF_8);
        return body.length >= tail.length
                && Arrays.equals(body, body.length - tail.length, body.length, tail, 0, tail.length);
    }

    @Override
    public String toString() {
        return "SpooledMessage[" + id + " from <" + sender + "> to " + recipients + ", "
                + body.length + " bytes, Message-ID " + messageId().orElse("(none)") + "]";
    }

    private String headerBlock() {
        String text = bodyText();
        int end = text.indexOf("\r\n\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    /** Length of the first field: its first line plus continuation lines (RFC 5322 2.2.3). */
    private int firstFieldLength() {
        int pos = 0;
        do {
            int eol = indexOf(body, CRLF, pos);
            if (eol < 0) {
                return body.length;
            }
            pos = eol + CRLF.length;
        } while (pos < body.length && (body[pos] == ' ' || body[pos] == '\t'));
        return pos;
    }

    private static boolean startsWithBlank(String line) {
        return !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t');
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
