package dev.qflux.config;

import java.net.InetAddress;

/** conf/tcp.smtp in tcprules text form (see docs/configuration.md). */
public interface TcpRules {
    /**
     * The exact IP's rule, then shorter dotted prefixes ("10.1."), then the empty rule; else allow.
     * IPv6 clients try the bracketed IPv6 rules, longest prefix first; IPv4-mapped IPv6 clients are
     * matched as IPv4. A few hash lookups, no I/O: safe on an event loop.
     */
    AccessRule match(InetAddress client);
}
