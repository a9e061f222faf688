package dev.qflux.smtp.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * A reverse or forward path from MAIL or RCPT, with its ESMTP parameters.
 *
 * @param address the mailbox as written, without angle brackets and without a source route
 *                (RFC 5321 4.1.2 says to ignore it); a quoted local part keeps its quotes and
 *                backslashes; "" for the null reverse path {@code <>}
 * @param params  the ESMTP parameters, keywords upper-cased, "" for a keyword without a value
 */
public record MailPath(String address, Map<String, String> params) {

    public MailPath {
        Objects.requireNonNull(address, "address");
        params = Map.copyOf(params);
    }

    /** The part before the last "@" (a quoted local part may hold "@" itself), or the whole address. */
    public String localPart() {
        int at = address.lastIndexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    /** The part after the last "@", or "" when there is none ({@code <postmaster>}, {@code <>}). */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    /** True for the null reverse path {@code <>}, used by bounces (RFC 5321 4.5.5). */
    public boolean isNull() {
        return address.isEmpty();
    }

    /** False when the address needs SMTPUTF8 (RFC 6531): some character is outside US-ASCII. */
    public boolean isAscii() {
        for (int i = 0; i < address.length(); i++) {
            if (address.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
