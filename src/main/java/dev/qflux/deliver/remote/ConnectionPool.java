package dev.qflux.deliver.remote;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;

/**
 * Idle SMTP sessions per host address, ready for the next MAIL (Postfix's connection cache):
 * at most {@code maxIdlePerHost} per address, each for at most {@code idleTime}, then QUIT. Safe
 * for concurrent deliveries; the locks guard only deque operations, never I/O.
 */
final class ConnectionPool {
    /** How long QUIT may take before the connection is simply closed. */
    static final Duration QUIT_BOUND = Duration.ofSeconds(5);

    private final Map<InetSocketAddress, ArrayDeque<SmtpConnection>> idle = new ConcurrentHashMap<>();
    private final int maxIdlePerHost;
    private final Duration idleTime;
    private volatile boolean closed;

    ConnectionPool(int maxIdlePerHost, Duration idleTime) {
        this.maxIdlePerHost = maxIdlePerHost;
        this.idleTime = idleTime;
    }

    /** An idle session to this address, most recently used first, or null. */
    SmtpConnection acquire(InetSocketAddress address) {
        ArrayDeque<SmtpConnection> deque = idle.get(address);
        if (deque == null) {
            return null;
        }
        while (true) {
            SmtpConnection conn;
            synchronized (deque) {
                conn = deque.pollFirst();
            }
            if (conn == null) {
                return null;
            }
            if (conn.usable()) {
                return conn;
            }
            conn.close();
        }
    }

    /** Keeps a session that has just been reset for the next message, or ends it. */
    void release(SmtpConnection conn) {
        if (closed || !conn.usable()) {
            quit(conn);
            return;
        }
        ArrayDeque<SmtpConnection> deque = idle.computeIfAbsent(conn.host().address(), a -> new ArrayDeque<>());
        boolean kept;
        long epoch;
        synchronized (deque) {
            kept = deque.size() < maxIdlePerHost;
            epoch = conn.markIdle();
            if (kept) {
                deque.addFirst(conn);
            }
        }
        if (!kept) {
            quit(conn);
            return;
        }
        conn.eventLoop().schedule(() -> evict(deque, conn, epoch), idleTime.toNanos(), TimeUnit.NANOSECONDS);
        if (closed) {
            evict(deque, conn, epoch);
        }
    }

    /** Number of idle sessions to this address. */
    int idleCount(InetSocketAddress address) {
        ArrayDeque<SmtpConnection> deque = idle.get(address);
        if (deque == null) {
            return 0;
        }
        synchronized (deque) {
            return deque.size();
        }
    }

    /** Ends every idle session; completes when all have answered QUIT or been closed. */
    Mono<Void> close() {
        closed = true;
        List<Mono<Void>> quits = new ArrayList<>();
        for (ArrayDeque<SmtpConnection> deque : idle.values()) {
            List<SmtpConnection> all;
            synchronized (deque) {
                all = new ArrayList<>(deque);
                deque.clear();
            }
            all.forEach(c -> quits.add(c.quit(QUIT_BOUND)));
        }
        return Mono.when(quits);
    }

    /** Ends the session if it is still idle since {@code epoch} (not reused and released again). */
    private void evict(ArrayDeque<SmtpConnection> deque, SmtpConnection conn, long epoch) {
        boolean removed;
        synchronized (deque) {
            removed = conn.idleEpoch() == epoch && deque.remove(conn);
        }
        if (removed) {
            quit(conn);
        }
    }

    private static void quit(SmtpConnection conn) {
        conn.quit(QUIT_BOUND).subscribe();
    }
}
