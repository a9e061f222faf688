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
 */
public record AdminConfig(InetSocketAddress listen, Set<String> openPaths, Duration drainTimeout,
                          Path tokenFile) {
}
