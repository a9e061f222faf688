package dev.qflux.dns;

import java.net.IDN;
import java.util.Locale;

import org.xbill.DNS.Name;
import org.xbill.DNS.TextParseException;

/** Turns a destination domain into a DNS name, refusing what cannot be one. */
final class DomainNames {
    /** RFC 1035 section 2.3.4: 255 octets on the wire, which is 253 characters in text. */
    static final int MAX_NAME_LENGTH = 253;
    /** RFC 1035 section 2.3.4. */
    static final int MAX_LABEL_LENGTH = 63;

    private DomainNames() {
    }

    /**
     * The absolute DNS name for {@code domain}. Letters, digits and hyphens only (RFC 5321 section
     * 4.1.2); a U-label domain (RFC 6531) is converted to its A-label form (RFC 5890). Address
     * literals are refused: they need no DNS and are the caller's to handle.
     *
     * @throws IllegalArgumentException with a message fit for a bounce
     */
    static Name parse(String domain) {
        if (domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("empty domain");
        }
        if (domain.startsWith("[")) {
            throw new IllegalArgumentException("address literal, not a domain: " + domain);
        }
        String text = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid domain name: " + domain);
        }
        if (ascii.isEmpty() || ascii.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("not a valid domain name: " + domain);
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!isLdhLabel(label)) {
                throw new IllegalArgumentException("not a valid domain name: " + domain);
            }
        }
        try {
            return Name.fromString(ascii, Name.root);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("not a valid domain name: " + domain);
        }
    }

    /** RFC 5321 section 4.1.2: sub-domain = Let-dig [Ldh-str]. */
    private static boolean isLdhLabel(String label) {
        if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH
                || label.startsWith("-") || label.endsWith("-")) {
            return false;
        }
        for (int i = 0; i < label.length(); i++) {
            char c = label.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
