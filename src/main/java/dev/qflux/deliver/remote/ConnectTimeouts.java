package dev.qflux.deliver.remote;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * qmail-tcpto: remembers addresses whose connections time out, so a host that keeps timing out
 * is skipped for a while instead of costing every delivery a full connect timeout. As qmail's
 * tcpto.c: an address is skipped after {@value #ERRORS_BEFORE_SKIP} timeouts in a row, for
 * {@link #SKIP} after the last one; a connection that succeeds, or fails any other way
 * (refused, unreachable: the host answered quickly), clears it. Kept per address and port, since
 * smtproutes can name several services on one host. Thread-safe.
 */
final class ConnectTimeouts {
    /** qmail-tcpto: skip once an address has timed out twice in a row. */
    static final int ERRORS_BEFORE_SKIP = 2;
    /** qmail-tcpto skips for (60 + pid % 32) << 6 seconds, 64-91 minutes; we take the low end. */
    static final Duration SKIP = Duration.ofSeconds(60 << 6);
    /** Addresses remembered (qmail's tcpto file holds 64); the least recently written go first. */
    static final long MAX_ADDRESSES = 10_000;

    private record Timeouts(int inARow, long lastMillis) {
    }

    private final Cache<InetSocketAddress, Timeouts> timeouts;
    private final LongSupplier nowMillis;

    ConnectTimeouts(LongSupplier nowMillis) {
        this.nowMillis = nowMillis;
        this.timeouts = Caffeine.newBuilder().maximumSize(MAX_ADDRESSES).build();
    }

    /** Why {@code address} is skipped now, or null to try it. */
    String skipReason(InetSocketAddress address) {
        Timeouts t = timeouts.getIfPresent(address);
        if (t == null || t.inARow() < ERRORS_BEFORE_SKIP) {
            return null;
        }
        long ago = nowMillis.getAsLong() - t.lastMillis();
        if (ago >= SKIP.toMillis()) {
            return null;
        }
        return "Sorry, I wasn't able to establish an SMTP connection to " + address.getAddress().getHostAddress()
                + ": its last " + t.inARow() + " connections timed out, the last " + ago / 1000
                + " seconds ago; not trying it again for " + (SKIP.toMillis() - ago) / 1000 + " seconds. (#4.4.1)";
    }

    /** A connection attempt ended: {@code timedOut} counts, anything else clears the address. */
    void attempted(InetSocketAddress address, boolean timedOut) {
        if (!timedOut) {
            timeouts.invalidate(address);
            return;
        }
        long now = nowMillis.getAsLong();
        timeouts.asMap().merge(address, new Timeouts(1, now),
                (old, one) -> new Timeouts(Math.min(old.inARow() + 1, 1_000), now));
    }
}
