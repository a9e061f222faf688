package dev.qflux.admin;

import java.util.Optional;

/**
 * What the admin endpoint may ask of the running daemon. Every method may block briefly (reading
 * the queue, the conf directory, /proc): the endpoint calls them off its event loop.
 */
public interface DaemonControl {
    /** Started, not paused, not stopping: a load balancer may send mail here. */
    boolean ready();

    /** pid, uptime, listeners, paused, draining, queue size, sessions, busiest destinations. */
    String statJson();

    /** The queue's messages (at most {@code limit}) and their recipients, as JSON. */
    String queueJson(int limit) throws java.io.IOException;

    /** Prometheus text format. */
    String metrics();

    /** Stop starting deliveries; with {@code smtp}, MAIL is refused with 451 too. */
    void pause(boolean smtp);

    /** Undo {@link #pause}. */
    void cont();

    /** Retry every queued message now. */
    void doqueue();

    /** Retry one queued message now; false if no message with that id is waiting. */
    boolean flush(long messageId);

    /** What a queue action on one message came to. */
    enum QueueAction {
        DONE, NOT_QUEUED, BUSY, FAILED
    }

    /** Bounce every pending recipient of a message now (the bounce says the administrator did it). */
    QueueAction bounce(long messageId);

    /** Mark every pending recipient of a message done: no delivery, no bounce. */
    QueueAction delete(long messageId);

    /** Hold ({@code on}) or release deliveries to one destination. */
    void hold(String destination, boolean on);

    /** Re-read the conf directory: a description of what changed, or why the old one is kept. */
    Optional<String> reload();

    /** Begin a graceful stop (asynchronously); a second call forces it. */
    void stop();
}
