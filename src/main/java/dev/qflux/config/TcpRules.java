package dev.qflux.config;

import java.net.InetAddress;

/** conf/tcp.smtp in tcprules text form. */
public interface TcpRules {
    /** The exact IP's rule, then shorter dotted prefixes ("10.1."), then the empty rule; else allow. */
    AccessRule match(InetAddress client);
}
