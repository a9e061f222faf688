package dev.qflux.inject;

import java.util.Locale;
import java.util.Set;

/** The header fields inject treats specially, by lower-cased name (qmail's hfield.c list). */
final class HeaderFields {
    /** Recipients with -t unless the message is being resent; To and Cc stay, Bcc and Apparently-To go into the envelope only. */
    static final Set<String> RECIPIENT = Set.of("to", "cc", "bcc", "apparently-to");
    static final Set<String> RESENT_RECIPIENT = Set.of("resent-to", "resent-cc", "resent-bcc");
    /** Address fields that must parse (qmail-inject dies on these), rewritten like every address. */
    static final Set<String> ORIGINATOR = Set.of("from", "sender", "reply-to", "return-receipt-to", "errors-to",
            "resent-sender", "resent-from", "resent-reply-to");
    /** Any of these means the message is being resent (RFC 5322 3.6.6): inject adds Resent- fields instead. */
    static final Set<String> RESENT = Set.of("resent-sender", "resent-from", "resent-reply-to", "resent-to",
            "resent-cc", "resent-bcc", "resent-date", "resent-message-id");

    private HeaderFields() {
    }

    /**
     * The lower-cased name of a field line, or null if the line is not a field: qmail's hfield_valid,
     * a name of printable non-blank ASCII, optional blanks, then a colon.
     */
    static String name(String line) {
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == ':') {
                break;
            }
            if (c <= ' ' || c >= 0x7f) {
                break;
            }
            i++;
        }
        int nameEnd = i;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        if (nameEnd == 0 || i == line.length() || line.charAt(i) != ':') {
            return null;
        }
        return line.substring(0, nameEnd).toLowerCase(Locale.ROOT);
    }
}
