package dev.qflux.config;

import java.net.InetAddress;

/** An IPv4 or IPv6 network such as 10.0.0.0/8 or ::1/128 (a bare address means a single host). */
public interface Cidr {
    boolean contains(InetAddress address);
}
