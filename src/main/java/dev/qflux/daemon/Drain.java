package dev.qflux.daemon;

import dev.qflux.deliver.DeliveryService;
import dev.qflux.log.LogSink;
import dev.qflux.schedule.SchedulerStats;
import dev.qflux.smtp.server.SmtpServer;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The first half of a graceful stop, run on the stopping thread: close the listening sockets,
 * start no new delivery, then wait (up to control/draintimeout) for open SMTP sessions and running
 * deliveries to end. Sessions still open then get 421 4.3.2 and are closed; deliveries still
 * running are cancelled and stay queued, to be retried after the restart (qmail-send does the
 * same with its running deliveries on TERM). Nothing the spool accepted is dropped either way.
 */
final class Drain {
    /** How often the stopping thread looks at the counts; a stop is not a hot path. */
    private static final long POLL_MILLIS = 50;
    /** After the 421s: time for sessions to see them and for replies the spool owes to go out. */
    private static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    private final SmtpServer smtp;
    private final DeliveryService delivery;
    private final LogSink log;
    private volatile boolean forced;

    Drain(SmtpServer smtp, DeliveryService delivery, LogSink log) {
        this.smtp = smtp;
        this.delivery = delivery;
        this.log = log;
    }

    /** A second SIGTERM: stop waiting. */
    void force() {
        forced = true;
    }

    /**
     * control/stopgrace: readiness is already off; keep accepting for {@code grace} so a load
     * balancer's health check takes this node out before its listeners close (a second SIGTERM
     * cuts it short).
     */
    void graceBeforeClosing(Duration grace) {
        if (grace.isZero()) {
            return;
        }
        log.log("status: stopping: not ready; still accepting for " + grace.toSeconds()
                + " s while load balancers notice");
        waitFor(grace, () -> false);
    }

    void run(Duration timeout) {
        smtp.stopAccepting();
        delivery.pause(true);
        log.log("status: stopping: " + smtp.openConnections() + " smtp sessions and "
                + inFlight() + " deliveries still open; waiting up to " + timeout.toSeconds() + " s");
        boolean calm = waitFor(timeout, () -> smtp.openConnections() == 0 && inFlight() == 0);
        if (!calm && smtp.openConnections() > 0) {
            log.log("status: stopping: closing " + smtp.openConnections() + " smtp sessions with 421");
            smtp.shutdownSessions();
            waitFor(CLOSE_BOUND, () -> smtp.openConnections() == 0);
        }
        int running = inFlight();
        if (running > 0) {
            log.log("status: stopping: " + running + " deliveries cut short stay queued for retry");
        }
    }

    private int inFlight() {
        SchedulerStats s = delivery.stats();
        return s.inFlightRemote() + s.inFlightLocal();
    }

    /** True if the condition came true, false if the time ran out or the stop was forced. */
    private boolean waitFor(Duration bound, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (forced || System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
