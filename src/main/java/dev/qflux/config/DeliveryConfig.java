package dev.qflux.config;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * What delivery needs from the control directory: limits, timeouts, the names bounces and
 * injected mail use, and the files that decide where a recipient goes. Defaults are qmail's
 * (qmail-send, qmail-remote, qmail-inject); "me" is control/me.
 *
 * @param concurrencyRemote         control/concurrencyremote (default 20): remote deliveries at
 *                                  once; 0 holds them (qmail capped it at 120; qflux does not)
 * @param concurrencyLocal          control/concurrencylocal (default 10): local deliveries at once;
 *                                  0 holds them
 * @param concurrencyPerDestination control/concurrencyperdestination (default 20, as Postfix's
 *                                  default_destination_concurrency_limit): remote deliveries at
 *                                  once to one destination (see Router.destinationKey)
 * @param queueLifetime             control/queuelifetime (default 604800 s): after it, one last
 *                                  try, then temporary failures count as permanent
 * @param timeoutConnect            control/timeoutconnect (default 60 s)
 * @param timeoutRemote             control/timeoutremote (default 1200 s): per SMTP reply
 * @param heloHost                  control/helohost (default me): our name in HELO/EHLO
 * @param envNoAtHost               control/envnoathost (default me): added to recipients without @
 * @param bounceFrom                control/bouncefrom (default MAILER-DAEMON): bounce From: user
 * @param bounceHost                control/bouncehost (default me): bounce From: host
 * @param doubleBounceTo            control/doublebounceto (default postmaster); empty = discard
 *                                  double bounces (qmail-send: the address then starts with @)
 * @param doubleBounceHost          control/doublebouncehost (default me)
 * @param defaultDomain             control/defaultdomain (default me), for inject
 * @param defaultHost               control/defaulthost (default me), for inject
 * @param plusDomain                control/plusdomain (default me), for inject
 * @param idHost                    control/idhost (default me): Message-ID host
 * @param percentHack               control/percenthack (default none): domains where
 *                                  {@code user%host@domain} becomes {@code user@host}
 * @param virtualDomains            control/virtualdomains (default none)
 * @param smtpRoutes                control/smtproutes (default none: every domain by MX)
 * @param resolvers                 control/resolver: DNS servers to ask, in order; empty = the
 *                                  system's (resolv.conf), found by the caller
 */
public record DeliveryConfig(
        int concurrencyRemote,
        int concurrencyLocal,
        int concurrencyPerDestination,
        Duration queueLifetime,
        Duration timeoutConnect,
        Duration timeoutRemote,
        String heloHost,
        String envNoAtHost,
        String bounceFrom,
        String bounceHost,
        String doubleBounceTo,
        String doubleBounceHost,
        String defaultDomain,
        String defaultHost,
        String plusDomain,
        String idHost,
        DomainSet percentHack,
        VirtualDomains virtualDomains,
        SmtpRoutes smtpRoutes,
        List<InetSocketAddress> resolvers) {
    public DeliveryConfig {
        resolvers = List.copyOf(resolvers);
    }
}
