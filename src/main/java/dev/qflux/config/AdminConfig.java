package dev.qflux.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * How the running daemon is operated: where its admin endpoint listens, which of its paths need
 * no token, and how long a stop waits for open SMTP sessions and deliveries.
 *
 * @param listen       control/adminlisten (default 127.0.0.1:2526): loopback only unless changed
 * @param openPaths    control/adminopen: paths served without the token (default /health, /ready)
 * @param drainTimeout control/draintimeout: seconds a stop lets sessions and deliveries finish
 *                     (default 30)
 * @param tokenFile    conf/admin.token: the bearer token, made at first start with mode 0600
 * @param stopGrace    control/stopgrace: seconds between /ready turning 503 and the listeners
 *                     closing, so a load balancer's health check moves new clients elsewhere
 *                     before any is refused (default 0: close at once)
 */
public record AdminConfig(InetSocketAddress listen, Set<String> openPaths, Duration drainTimeout,
                          Path tokenFile, Duration stopGrace) {
    /** As before stopgrace existed: listeners close as soon as a stop begins. */
    public AdminConfig(InetSocketAddress listen, Set<String> openPaths, Duration drainTimeout, Path tokenFile) {
        this(listen, openPaths, drainTimeout, tokenFile, Duration.ZERO);
    }
}
