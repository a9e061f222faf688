package dev.qflux.schedule;

import java.time.Duration;

/**
 * qmail-send's retry schedule, exactly: after an attempt that left recipients deferred, the next
 * try is at {@code birth + (floor(sqrt(now - birth)) + c)^2} seconds (qmail-send.c
 * {@code nextretry}, {@code chanskip} = 10 local, 20 remote). Remote attempts therefore fall at 0,
 * 400, 1600, 3600, 6400 ... seconds after birth, local ones at 0, 100, 400, 900, 1600 ...
 * A message older than {@code queuelifetime} gets one last try; a temporary failure then becomes
 * permanent with {@link #GIVE_UP}.
 */
public final class RetrySchedule {

    /** qmail-send.c {@code chanskip[0]}: local deliveries retry on a tighter square-root curve. */
    public static final int LOCAL_SKIP_SECONDS = 10;
    /** qmail-send.c {@code chanskip[1]}: remote deliveries. */
    public static final int REMOTE_SKIP_SECONDS = 20;
    /** qmail's {@code control/queuelifetime} default: one week (qmail-send(8)). */
    public static final Duration DEFAULT_QUEUE_LIFETIME = Duration.ofSeconds(604800);
    /** qmail-send.c's text for a deferral after the queue lifetime, word for word. */
    public static final String GIVE_UP =
            "I'm not going to try again; this message has been in the queue too long.";

    private RetrySchedule() {
    }

    /**
     * When to try a message again, in epoch milliseconds, given its birth and the time the last
     * attempt finished. Ages count in whole seconds as qmail's {@code datetime_sec} does; a birth in
     * the future (clock stepped back) counts as age 0, as in qmail.
     */
    public static long nextAttemptMillis(long birthMillis, long nowMillis, boolean local) {
        long ageSeconds = nowMillis > birthMillis ? (nowMillis - birthMillis) / 1000 : 0;
        long n = floorSqrt(ageSeconds) + (local ? LOCAL_SKIP_SECONDS : REMOTE_SKIP_SECONDS);
        return birthMillis + n * n * 1000;
    }

    /** qmail-send.c's {@code flagdying}: {@code recent > birth + lifetime}. */
    public static boolean expired(long birthMillis, long nowMillis, Duration lifetime) {
        return nowMillis > birthMillis + lifetime.toMillis();
    }

    /**
     * The permanent failure text that replaces a deferral on the last try: qmail keeps the
     * deferral's reason and adds {@link #GIVE_UP} on the next line; one-line outcome texts write
     * that line break as "/", the way qmail-send's log does.
     */
    public static String giveUpText(String lastDeferral) {
        return lastDeferral == null || lastDeferral.isEmpty() ? GIVE_UP : lastDeferral + "/" + GIVE_UP;
    }

    /** Largest n with n*n <= v (qmail's {@code squareroot}), exact for every long. */
    static long floorSqrt(long v) {
        long n = (long) Math.sqrt((double) v);
        // The double may be off by one either way; compare by division so nothing overflows.
        while (n > 0 && n > v / n) {
            n--;
        }
        while (n + 1 <= v / (n + 1)) {
            n++;
        }
        return n;
    }
}
