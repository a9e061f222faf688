package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections per client address per minute (control/connectrateperip), counted in fixed
 * one-minute windows that start at an address's first connection. Every attempt counts, the
 * refused ones too, so a flood stays refused until it slows down. Lock-free on the event loops.
 */
final class ConnectRateLimiter {
    static final Reply TOO_FAST =
            Reply.of(421, "4.7.0", "too many connections from your address, try again later");

    /** The window the rate is counted over (connectrateperip is per minute). */
    static final long WINDOW_NANOS = 60_000_000_000L;

    /**
     * Addresses tracked at once (invariant 5: bounded). Past it, ended windows are swept; if the
     * map is still full, new addresses go uncounted rather than grow the heap.
     */
    static final int MAX_TRACKED = 100_000;

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    private final ConcurrentHashMap<InetAddress, Window> windows = new ConcurrentHashMap<>();

    /** Null when the connection may go on, else the refusal. {@code perMinute} 0 = no limit. */
    Reply tryConnect(InetAddress client, int perMinute, long nowNanos) {
        if (perMinute <= 0) {
            return null;
        }
        if (windows.size() >= MAX_TRACKED && !windows.containsKey(client)) {
            sweep(nowNanos);
            if (windows.size() >= MAX_TRACKED) {
                return null;
            }
        }
        int[] count = new int[1];
        windows.compute(client, (ip, old) -> {
            Window next = old == null || nowNanos - old.start >= WINDOW_NANOS ? new Window(nowNanos) : old;
            count[0] = ++next.count;
            return next;
        });
        return count[0] > perMinute ? TOO_FAST : null;
    }

    private void sweep(long nowNanos) {
        windows.values().removeIf(w -> nowNanos - w.start >= WINDOW_NANOS);
    }

    int tracked() {
        return windows.size();
    }
}
