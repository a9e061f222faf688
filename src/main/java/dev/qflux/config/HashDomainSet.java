package dev.qflux.config;

import java.util.Locale;
import java.util.Set;

/**
 * A {@link DomainSet} kept as one hash set, looked up the way qmail-smtpd's rcpthosts.c does:
 * the whole domain, then (when wildcards are on) each suffix that starts at a dot, so
 * {@code .example.com} matches {@code a.example.com} and {@code a.b.example.com} but not
 * {@code example.com}. One hash lookup per label.
 */
final class HashDomainSet implements DomainSet {
    private final Set<String> names;
    private final boolean wildcards;

    /** {@code names} lowercased, without trailing dots, {@code .suffix} entries only with wildcards. */
    HashDomainSet(Set<String> names, boolean wildcards) {
        this.names = Set.copyOf(names);
        this.wildcards = wildcards;
    }

    @Override
    public boolean contains(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        if (d.isEmpty() || d.charAt(0) == '.') {
            return false;
        }
        d = d.toLowerCase(Locale.ROOT);
        if (names.contains(d)) {
            return true;
        }
        if (wildcards) {
            for (int dot = d.indexOf('.'); dot >= 0; dot = d.indexOf('.', dot + 1)) {
                if (names.contains(d.substring(dot))) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return new java.util.TreeSet<>(names).toString();
    }
}
