package dev.qflux.config;

import java.util.Locale;

/** Checks and normalizes the domain names written in control files (me, rcpthosts, locals...). */
final class DomainNames {
    private DomainNames() {
    }

    /**
     * A domain as written in a control file, lowercased (qmail's constmap compares without case)
     * and without a trailing dot. {@code wildcard} allows qmail-smtpd's {@code .example.com}.
     */
    static String entry(ControlLine line, boolean wildcard) throws ConfigException {
        try {
            return normalize(line.content(), wildcard);
        } catch (InvalidValue e) {
            throw line.error(e.getMessage());
        }
    }

    static String normalize(String text, boolean wildcard) throws InvalidValue {
        String name = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (name.isEmpty()) {
            throw new InvalidValue("not a domain: " + ControlLine.quote(text));
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == ' ' || c == '\t') {
                throw new InvalidValue("a domain has no blanks: " + ControlLine.quote(text));
            }
            if (c == '@') {
                throw new InvalidValue("a domain, not an address, is expected: " + ControlLine.quote(text));
            }
        }
        if (name.startsWith(".") && !wildcard) {
            throw new InvalidValue("only whole domains match here, so a leading dot never would: "
                    + ControlLine.quote(text));
        }
        if (name.equals(".") || name.contains("..")) {
            throw new InvalidValue("empty label in domain: " + ControlLine.quote(text));
        }
        return name.toLowerCase(Locale.ROOT);
    }

    /** {@code name} normalized, or lowercased as it is if it does not parse (already checked). */
    static String normalizeOrSelf(String name) {
        try {
            return normalize(name, false);
        } catch (InvalidValue e) {
            return name.toLowerCase(Locale.ROOT);
        }
    }
}
