package dev.qflux.pop3;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed logins per client address over a window, so one address cannot guess passwords without
 * end by opening new sessions. Lock-free and allocation-light: safe on event loops.
 */
final class FailedLogins {
    /** Failures one address may have in {@link #WINDOW_MILLIS} before its logins are refused unchecked. */
    static final int MAX_PER_CLIENT = 10;
    /** How long failures are remembered: long enough to make guessing slow, short enough to forgive. */
    static final long WINDOW_MILLIS = 15 * 60 * 1000L;
    /** Addresses remembered at once; beyond it expired entries go, then all (fail open). */
    static final int MAX_TRACKED = 10_000;

    private record Count(long windowStart, int failures) {
    }

    private final ConcurrentHashMap<InetAddress, Count> counts = new ConcurrentHashMap<>();

    /** True when {@code client} has used up its failures for now. */
    boolean blocked(InetAddress client, long nowMillis) {
        Count c = counts.get(client);
        return c != null && nowMillis - c.windowStart() < WINDOW_MILLIS && c.failures() >= MAX_PER_CLIENT;
    }

    void record(InetAddress client, long nowMillis) {
        if (counts.size() >= MAX_TRACKED) {
            counts.values().removeIf(c -> nowMillis - c.windowStart() >= WINDOW_MILLIS);
            if (counts.size() >= MAX_TRACKED) {
                counts.clear();
            }
        }
        counts.compute(client, (ip, c) -> c == null || nowMillis - c.windowStart() >= WINDOW_MILLIS
                ? new Count(nowMillis, 1) : new Count(c.windowStart(), c.failures() + 1));
    }
}
