package dev.qflux.config;

import java.net.InetAddress;

/** An IPv4 or IPv6 network such as 10.0.0.0/8 or ::1/128 (a bare address means a single host). */
public interface Cidr {
    /** True for addresses in the network; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    boolean contains(InetAddress address);

    /**
     * {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a bare address for one host (/32 or /128). An
     * IPv6 network may be bracketed ({@code [::1]}). Host bits must be zero ({@code 10.1.2.3/8} fails).
     */
    static Cidr parse(String text) throws ConfigException {
        try {
            return Ipnet.parse(text);
        } catch (InvalidValue e) {
            throw new ConfigException(e.getMessage(), e);
        }
    }
}
