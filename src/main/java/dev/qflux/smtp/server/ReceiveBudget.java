package dev.qflux.smtp.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of messages being received, held in (direct, off-heap) memory across all sessions until
 * the spool has written them: control/receivebytes. Past it a message is read to its end and
 * refused with 452 4.3.1 rather than let memory grow with what clients send (invariant 5).
 */
final class ReceiveBudget {
    private final AtomicLong used = new AtomicLong();
    private final long limit;

    ReceiveBudget(long limit) {
        this.limit = limit;
    }

    /** Lock-free; false when {@code bytes} more would pass the limit. */
    boolean tryAcquire(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > limit) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }

    long used() {
        return used.get();
    }
}
