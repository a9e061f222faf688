package dev.qflux.deliver.remote;

import java.time.Duration;
import java.util.Objects;
import reactor.netty.resources.LoopResources;

/**
 * How {@link SmtpClientDelivery} talks to remote hosts.
 *
 * @param heloHost         the name given in EHLO/HELO (qmail's control/helohost, default me)
 * @param connectTimeout   qmail's control/timeoutconnect: giving up on a TCP connect
 * @param replyTimeout     qmail's control/timeoutremote: waiting for any one reply (each phase)
 * @param maxIdlePerHost   idle connections kept per host address for the next message
 * @param idleTime         how long an idle connection is kept before QUIT
 * @param opportunisticTls use STARTTLS when offered
 * @param loops            event loops to run on, or null for our own
 */
public record RemoteOptions(String heloHost, Duration connectTimeout, Duration replyTimeout,
                            int maxIdlePerHost, Duration idleTime, boolean opportunisticTls,
                            LoopResources loops) {
    /** qmail's default control/timeoutconnect. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(60);
    /** qmail's default control/timeoutremote. */
    public static final Duration DEFAULT_REPLY_TIMEOUT = Duration.ofSeconds(1200);
    /**
     * Idle connections per host. Postfix caches one per destination by default
     * (smtp_connection_cache_destinations); a few more help a busy relay.
     */
    public static final int DEFAULT_MAX_IDLE_PER_HOST = 4;
    /** Postfix's smtp_connection_cache_time_limit is 2 s; servers often drop idle clients after 5 min. */
    public static final Duration DEFAULT_IDLE_TIME = Duration.ofSeconds(10);

    public RemoteOptions {
        Objects.requireNonNull(heloHost, "heloHost");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(replyTimeout, "replyTimeout");
        Objects.requireNonNull(idleTime, "idleTime");
        if (maxIdlePerHost < 0) {
            throw new IllegalArgumentException("maxIdlePerHost < 0");
        }
        if (heloHost.isEmpty() || heloHost.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
            throw new IllegalArgumentException("heloHost must be a non-empty ASCII name");
        }
    }

    public static RemoteOptions defaults(String heloHost) {
        return new RemoteOptions(heloHost, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REPLY_TIMEOUT,
                DEFAULT_MAX_IDLE_PER_HOST, DEFAULT_IDLE_TIME, true, null);
    }
}
