package dev.qflux.inject;

/**
 * qmail-inject's address rewriting (rwgeneric in qmail-inject.c), applied to every address in the
 * envelope and in the address fields of the header:
 * <ol>
 *   <li>a source route ({@code @a,@b:user@host}) is dropped;</li>
 *   <li>a trailing "." and then a trailing "@" are dropped;</li>
 *   <li>an address without "@" gets {@code @defaulthost};</li>
 *   <li>a domain ending in "+" loses the "+" and gets {@code .plusdomain};</li>
 *   <li>a domain without a dot (and not an address literal) gets {@code .defaultdomain}.</li>
 * </ol>
 * The null address stays null.
 */
final class AddressRewriter {
    private final Identity identity;

    AddressRewriter(Identity identity) {
        this.identity = identity;
    }

    String complete(String address) {
        String a = address;
        if (a.isEmpty() || a.equals("@[]")) {
            return a;
        }
        if (a.startsWith("@")) {
            int colon = a.indexOf(':');
            a = colon < 0 ? "" : a.substring(colon + 1);
            if (a.isEmpty()) {
                return a;
            }
        }
        if (a.endsWith(".")) {
            a = a.substring(0, a.length() - 1);
        }
        if (a.endsWith("@")) {
            a = a.substring(0, a.length() - 1);
        }
        if (a.isEmpty()) {
            return a;
        }
        int at = lastAtOutsideQuotes(a);
        if (at < 0) {
            at = a.length();
            a = a + "@" + identity.defaultHost();
        }
        String local = a.substring(0, at);
        String domain = a.substring(at + 1);
        if (domain.startsWith("[")) {
            return a;
        }
        if (domain.endsWith("+")) {
            domain = domain.substring(0, domain.length() - 1) + "." + identity.plusDomain();
        }
        if (domain.indexOf('.') < 0) {
            domain = domain + "." + identity.defaultDomain();
        }
        return local + "@" + domain;
    }

    /** The last "@" that is not inside a quoted local part, or -1. */
    static int lastAtOutsideQuotes(String a) {
        boolean quoted = false;
        int last = -1;
        for (int i = 0; i < a.length(); i++) {
            char c = a.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == '@') {
                last = i;
            }
        }
        return last;
    }
}
