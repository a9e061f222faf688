package dev.qflux.spool;

import java.util.HashMap;
import java.util.Map;

/**
 * Lets equal strings held for a long time share one object, up to a bound: a queue of a million
 * messages usually has a few thousand senders, and each copy would cost ~60 bytes of heap for as
 * long as its message waits. Not thread-safe; the owner guards it.
 */
public final class SharedStrings {
    private final int max;
    private final Map<String, String> known = new HashMap<>();

    /** @param max distinct strings shared; past it, further strings are kept as they come */
    public SharedStrings(int max) {
        this.max = max;
    }

    /** The shared copy of {@code s}: the first equal string seen, or {@code s} itself. */
    public String share(String s) {
        String first = known.get(s);
        if (first != null) {
            return first;
        }
        if (known.size() < max) {
            known.put(s, s);
        }
        return s;
    }

    /** Forgets every string, e.g. when nothing holds them any more. */
    public void clear() {
        known.clear();
    }
}
