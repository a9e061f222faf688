package dev.qflux.smtp.protocol;

import java.util.Locale;
import java.util.Map;

/**
 * The ESMTP parameters after a MAIL or RCPT path (RFC 5321 4.1.2 Mail-parameters): keywords
 * separated by spaces, each {@code esmtp-keyword ["=" esmtp-value]}. MAIL knows SIZE (RFC 1870),
 * BODY (RFC 6152, RFC 3030), SMTPUTF8 (RFC 6531) and AUTH (RFC 4954); RCPT knows none, since the
 * DSN parameters NOTIFY and ORCPT belong to an extension qflux does not advertise.
 */
final class EsmtpParameters {

    private EsmtpParameters() {
    }

    /**
     * Parses {@code s} from {@code from} (just past the path) into {@code out}.
     *
     * @return null when every parameter is valid, else the reply refusing them
     */
    static Reply parse(String s, int from, boolean mail, Map<String, String> out) {
        int n = s.length();
        for (int i = from; i < n; i++) {
            char c = s.charAt(i);
            // A CR or NUL here could be a smuggling attempt; TAB is not RFC 5321's separator.
            if (c < 0x20 || c == 0x7f) {
                return PathReplies.CONTROL_IN_PARAMETERS;
            }
            if (c == '\uFFFD') {
                return PathReplies.MALFORMED_PARAMETER;
            }
        }
        if (from < n && s.charAt(from) != ' ') {
            return PathReplies.MALFORMED_PARAMETER;
        }
        int i = from;
        while (true) {
            // Several spaces between parameters are tolerated, as trailing spaces are.
            while (i < n && s.charAt(i) == ' ') {
                i++;
            }
            if (i == n) {
                return null;
            }
            int end = s.indexOf(' ', i);
            if (end < 0) {
                end = n;
            }
            Reply refused = one(s, i, end, mail, out);
            if (refused != null) {
                return refused;
            }
            i = end;
        }
    }

    private static Reply one(String s, int from, int to, boolean mail, Map<String, String> out) {
        int eq = s.indexOf('=', from);
        boolean hasValue = eq >= 0 && eq < to;
        int keyEnd = hasValue ? eq : to;
        if (!isKeyword(s, from, keyEnd) || (hasValue && !isValue(s, eq + 1, to))) {
            return PathReplies.MALFORMED_PARAMETER;
        }
        String key = s.substring(from, keyEnd).toUpperCase(Locale.ROOT);
        String value = hasValue ? s.substring(eq + 1, to) : "";
        if (!mail) {
            return PathReplies.UNSUPPORTED_PARAMETER;
        }
        switch (key) {
            case "SIZE":
                if (!hasValue || !isDigits(value)) {
                    return PathReplies.BAD_SIZE;
                }
                break;
            case "BODY":
                value = value.toUpperCase(Locale.ROOT);
                if (!value.equals("7BIT") && !value.equals("8BITMIME") && !value.equals("BINARYMIME")) {
                    return PathReplies.BAD_BODY;
                }
                break;
            case "SMTPUTF8":
                if (hasValue) {
                    return PathReplies.BAD_SMTPUTF8;
                }
                break;
            case "AUTH":
                if (!hasValue || !isXtext(value)) {
                    return PathReplies.BAD_AUTH;
                }
                break;
            default:
                return PathReplies.UNSUPPORTED_PARAMETER;
        }
        if (out.putIfAbsent(key, value) != null) {
            return PathReplies.DUPLICATE_PARAMETER;
        }
        return null;
    }

    /** esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-") */
    private static boolean isKeyword(String s, int from, int to) {
        if (from >= to || s.charAt(from) == '-') {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** esmtp-value = 1*(%d33-60 / %d62-126), plus UTF8-non-ascii (RFC 6531 3.3). */
    private static boolean isValue(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '=' || c <= ' ' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigits(String v) {
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return false;
            }
        }
        return !v.isEmpty();
    }

    /** RFC 3461 4: xchar is "!" to "~" but "+" and "="; "+" starts two upper-case hex digits. */
    private static boolean isXtext(String v) {
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '+') {
                if (i + 2 >= v.length()) {
                    return false;
                }
                if (!isUpperHex(v.charAt(i + 1)) || !isUpperHex(v.charAt(i + 2))) {
                    return false;
                }
                i += 2;
            } else if (c < '!' || c > '~' || c == '=') {
                return false;
            }
        }
        return true;
    }

    private static boolean isUpperHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F');
    }
}
