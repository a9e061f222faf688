package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;
import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Open SMTP sessions in total (control/concurrencyincoming, tcpserver's -c) and per client
 * address (control/concurrencyperip). A session over either limit is told 421 and closed.
 */
final class SessionLimiter {
    static final Reply TOO_MANY_SESSIONS =
            Reply.of(421, "4.3.2", "too many sessions, try again later");
    static final Reply TOO_MANY_FROM_YOU =
            Reply.of(421, "4.7.0", "too many sessions from your address, try again later");

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();

    /** Null when the session may go on (and must later {@link #release}); else the refusal. */
    Reply tryAcquire(InetAddress client, int maxTotal, int maxPerIp) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return TOO_MANY_SESSIONS;
        }
        boolean[] refused = new boolean[1];
        perIp.compute(client, (ip, n) -> {
            int count = n == null ? 0 : n;
            if (count >= maxPerIp) {
                refused[0] = true;
                return n;
            }
            return count + 1;
        });
        if (refused[0]) {
            total.decrementAndGet();
            return TOO_MANY_FROM_YOU;
        }
        return null;
    }

    void release(InetAddress client) {
        total.decrementAndGet();
        perIp.computeIfPresent(client, (ip, n) -> n <= 1 ? null : n - 1);
    }

    int open() {
        return total.get();
    }
}
