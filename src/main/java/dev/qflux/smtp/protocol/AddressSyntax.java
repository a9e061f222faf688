package dev.qflux.smtp.protocol;

import io.netty.util.NetUtil;

/**
 * The pieces of RFC 5321 4.1.2's mailbox grammar, as extended by RFC 6531 3.3 for SMTPUTF8:
 * every check works on a range of a string so a path is validated without copying it. A char at or
 * above 0x80 stands for RFC 6531's UTF8-non-ascii; U+FFFD (undecodable input) must have been
 * refused before these run.
 */
final class AddressSyntax {

    /** RFC 1035 2.3.4: a label is at most 63 octets. */
    static final int MAX_LABEL_OCTETS = 63;

    private static final String IPV6_TAG = "IPv6:";

    private AddressSyntax() {
    }

    /** RFC 5321 4.1.2 atext (RFC 5322 3.2.3), plus UTF8-non-ascii (RFC 6531 3.3). */
    static boolean isAtext(char c) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80) {
            return true;
        }
        return "!#$%&'*+-/=?^_`{|}~".indexOf(c) >= 0;
    }

    /**
     * The end of a Dot-string local part starting at {@code from}: the index of the "@" or
     * {@code to}; -1 when a character is not atext or a dot is leading, trailing or doubled.
     */
    static int dotStringEnd(String s, int from, int to) {
        boolean wantAtom = true;
        int i = from;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c == '@') {
                break;
            }
            if (c == '.') {
                if (wantAtom) {
                    return -1;
                }
                wantAtom = true;
            } else if (isAtext(c)) {
                wantAtom = false;
            } else {
                return -1;
            }
        }
        return wantAtom ? -1 : i;
    }

    /**
     * The end (just past the closing quote) of the Quoted-string starting at {@code from}, or -1
     * when it is unterminated or holds a character qtextSMTP / quoted-pairSMTP do not allow.
     */
    static int quotedStringEnd(String s, int from, int to) {
        for (int i = from + 1; i < to; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                // quoted-pairSMTP = "\" %d32-126 (ASCII only, also under RFC 6531)
                if (++i >= to || s.charAt(i) < 32 || s.charAt(i) > 126) {
                    return -1;
                }
            } else if (!((c >= 32 && c <= 126) || c >= 0x80)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * RFC 5321 4.1.2 Domain: dot-separated labels of letters, digits and hyphens, neither starting
     * nor ending with a hyphen, each 1 to 63 octets. Non-ASCII characters count as letters (U-labels,
     * RFC 6531 3.3); their length is measured in UTF-8 octets, which approximates the A-label's.
     */
    static boolean isHostname(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        int labelStart = from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (!isLabel(s, labelStart, i)) {
                    return false;
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c >= 0x80)) {
                return false;
            }
        }
        return isLabel(s, labelStart, to);
    }

    private static boolean isLabel(String s, int from, int to) {
        return to > from && s.charAt(from) != '-' && s.charAt(to - 1) != '-'
                && utf8Length(s, from, to) <= MAX_LABEL_OCTETS;
    }

    /**
     * RFC 5321 4.1.3 address literal, brackets included: {@code [1.2.3.4]} or {@code [IPv6:...]}.
     * General-address-literal is refused: no standardized tag other than IPv6 exists.
     */
    static boolean isAddressLiteral(String s, int from, int to) {
        if (to - from < 3 || s.charAt(from) != '[' || s.charAt(to - 1) != ']') {
            return false;
        }
        int start = from + 1;
        int end = to - 1;
        if (s.regionMatches(true, start, IPV6_TAG, 0, IPV6_TAG.length())) {
            start += IPV6_TAG.length();
            for (int i = start; i < end; i++) {
                char c = s.charAt(i);
                // Only the characters of RFC 5321's IPv6-addr: no zone index, no brackets.
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
                        || c == ':' || c == '.')) {
                    return false;
                }
            }
            return start < end && NetUtil.isValidIpV6Address(s.substring(start, end));
        }
        return isIpv4(s, start, end);
    }

    /** RFC 5321 4.1.3 IPv4-address-literal: four Snum (1*3DIGIT, 0-255) separated by dots. */
    static boolean isIpv4(String s, int from, int to) {
        int parts = 0;
        int i = from;
        while (true) {
            int value = 0;
            int digits = 0;
            while (i < to && s.charAt(i) >= '0' && s.charAt(i) <= '9' && digits < 4) {
                value = value * 10 + (s.charAt(i) - '0');
                digits++;
                i++;
            }
            if (digits == 0 || digits > 3 || value > 255) {
                return false;
            }
            parts++;
            if (i == to) {
                return parts == 4;
            }
            if (s.charAt(i) != '.' || parts == 4) {
                return false;
            }
            i++;
        }
    }

    /** The length of {@code s[from, to)} in UTF-8 octets, the unit of RFC 5321 4.5.3.1's limits. */
    static int utf8Length(String s, int from, int to) {
        int octets = to - from;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                // 2 octets below U+0800, 3 for the rest of the BMP; a surrogate pair is 4 (2 + 2).
                octets += c < 0x800 ? 1 : Character.isSurrogate(c) ? 1 : 2;
            }
        }
        return octets;
    }
}
