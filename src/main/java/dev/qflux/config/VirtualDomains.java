package dev.qflux.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * control/virtualdomains: which addresses are delivered locally under a prefix. Entries are
 * {@code user@domain:prepend} (one address), {@code domain:prepend}, {@code .domain:prepend}
 * (every subdomain) and {@code :prepend} (every address); an empty prepend is an exception that
 * keeps the address out of every virtual domain. Keys compare without case, as qmail's constmap.
 */
public final class VirtualDomains {
    /** No virtual domains: what a missing file means. */
    public static final VirtualDomains NONE = new VirtualDomains(Map.of());

    private final Map<String, String> prepends;

    private VirtualDomains(Map<String, String> prepends) {
        this.prepends = Map.copyOf(prepends);
    }

    /**
     * The prepend for {@code address} ({@code local@domain}), tried in qmail-send's order: the
     * whole address, the domain, each {@code .suffix} of the domain from the longest, then the
     * catch-all. The first entry found decides, so an exception (empty prepend) ends the search
     * with no match. Cost: one hash lookup per label, no I/O.
     *
     * @return the prepend, or empty when the address is not in a virtual domain
     */
    public Optional<String> prependFor(String address) {
        if (prepends.isEmpty()) {
            return Optional.empty();
        }
        String a = address.toLowerCase(Locale.ROOT);
        int at = a.lastIndexOf('@');
        String domain = a.substring(at + 1);
        String found = prepends.get(a);
        if (found == null) {
            found = prepends.get(domain);
        }
        for (int dot = domain.indexOf('.'); found == null && dot >= 0; dot = domain.indexOf('.', dot + 1)) {
            found = prepends.get(domain.substring(dot));
        }
        if (found == null) {
            found = prepends.get("");
        }
        return found == null || found.isEmpty() ? Optional.empty() : Optional.of(found);
    }

    /** True when the file had no entries. */
    public boolean isEmpty() {
        return prepends.isEmpty();
    }

    /** Entries of a virtualdomains file; the first error names its line. */
    static VirtualDomains parse(List<ControlLine> lines) throws ConfigException {
        Map<String, String> prepends = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (ControlLine line : lines) {
            String text = line.content();
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw line.error("expected domain:prepend, user@domain:prepend or :prepend, got "
                        + ControlLine.quote(text));
            }
            String key;
            try {
                key = key(text.substring(0, colon).strip());
            } catch (InvalidValue e) {
                throw line.error(e.getMessage());
            }
            String prepend = text.substring(colon + 1).strip();
            if (!isLocalPart(prepend)) {
                throw line.error("a prepend is a local part, without blanks, '@' or ':': "
                        + ControlLine.quote(prepend));
            }
            Integer earlier = lineOf.putIfAbsent(key, line.number());
            if (earlier != null) {
                throw line.error("duplicate entry for " + ControlLine.quote(key) + ", also on line " + earlier);
            }
            prepends.put(key, prepend);
        }
        return new VirtualDomains(prepends);
    }

    private static String key(String text) throws InvalidValue {
        if (text.isEmpty()) {
            return ""; // the catch-all
        }
        int at = text.lastIndexOf('@');
        if (at < 0) {
            return DomainNames.normalize(text, true);
        }
        String local = text.substring(0, at);
        if (local.isEmpty() || !isLocalPart(local)) {
            throw new InvalidValue("not an address: " + ControlLine.quote(text));
        }
        String domain = text.substring(at + 1);
        if (domain.startsWith(".")) {
            throw new InvalidValue("an address entry names one domain, not .wildcards: " + ControlLine.quote(text));
        }
        return local.toLowerCase(Locale.ROOT) + "@" + DomainNames.normalize(domain, false);
    }

    static boolean isLocalPart(String text) {
        return text.chars().noneMatch(c -> c == ' ' || c == '\t' || c == '@' || c == ':');
    }

    @Override
    public String toString() {
        return new java.util.TreeMap<>(prepends).toString();
    }
}
