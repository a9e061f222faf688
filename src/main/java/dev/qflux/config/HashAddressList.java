package dev.qflux.config;

import java.util.Locale;
import java.util.Set;

/**
 * badmailfrom as qmail-smtpd's bmfcheck reads it: the whole address, then {@code @host} from the
 * last {@code @}; case-insensitive like qmail's constmap. Two hash lookups at most.
 */
final class HashAddressList implements AddressList {
    private final Set<String> entries;

    /** {@code entries} already lowercased. */
    HashAddressList(Set<String> entries) {
        this.entries = Set.copyOf(entries);
    }

    @Override
    public boolean matches(String address) {
        if (entries.isEmpty()) {
            return false;
        }
        String a = address.toLowerCase(Locale.ROOT);
        if (entries.contains(a)) {
            return true;
        }
        int at = a.lastIndexOf('@');
        return at >= 0 && entries.contains(a.substring(at));
    }

    @Override
    public String toString() {
        return new java.util.TreeSet<>(entries).toString();
    }
}
