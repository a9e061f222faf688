package dev.qflux.config;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * tcp.smtp held as hash maps, looked up in tcpserver's order: the exact IPv4 address, then its
 * prefixes of 3, 2 and 1 octets (tcprules' {@code 10.1.}), then the empty rule. IPv6 clients try
 * their address masked to each prefix length the file uses, longest first, then the empty rule.
 * IPv4-mapped IPv6 clients are looked up as IPv4. At most 5 IPv4 lookups; no I/O.
 */
final class RuleTable implements TcpRules {
    private final Map<Long, AccessRule> ipv4;
    private final Map<Ipv6Key, AccessRule> ipv6;
    private final int[] ipv6Prefixes; // longest first
    private final AccessRule fallback;

    private RuleTable(Builder b) {
        this.ipv4 = Map.copyOf(b.ipv4);
        this.ipv6 = Map.copyOf(b.ipv6);
        this.ipv6Prefixes = b.ipv6Prefixes.descendingSet().stream().mapToInt(Integer::intValue).toArray();
        this.fallback = b.fallback != null ? b.fallback : AccessRule.ALLOW_ALL;
    }

    @Override
    public AccessRule match(InetAddress client) {
        byte[] a = IpAddresses.bytesOf(client);
        if (a.length == 4) {
            int ip = (a[0] & 0xff) << 24 | (a[1] & 0xff) << 16 | (a[2] & 0xff) << 8 | (a[3] & 0xff);
            for (int octets = 4; octets >= 1; octets--) {
                AccessRule rule = ipv4.get(ipv4Key(octets, ip));
                if (rule != null) {
                    return rule;
                }
            }
        } else {
            for (int prefix : ipv6Prefixes) {
                AccessRule rule = ipv6.get(Ipv6Key.of(Ipnet.mask(a, prefix), prefix));
                if (rule != null) {
                    return rule;
                }
            }
        }
        return fallback;
    }

    /** The key of an IPv4 rule naming the first {@code octets} octets of {@code ip}. */
    static long ipv4Key(int octets, int ip) {
        long mask = (0xffffffffL << (32 - 8 * octets)) & 0xffffffffL;
        long masked = ip & mask; // ip widens with its sign bit; the mask clears bits 32-63 again
        return (long) octets << 32 | masked;
    }

    @Override
    public String toString() {
        return "TcpRules[" + ipv4.size() + " IPv4, " + ipv6.size() + " IPv6, default " + fallback + "]";
    }

    /** An IPv6 network as two longs, so lookups hash without copying arrays into strings. */
    record Ipv6Key(long high, long low, int prefix) {
        static Ipv6Key of(byte[] network, int prefix) {
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = high << 8 | (network[i] & 0xff);
                low = low << 8 | (network[i + 8] & 0xff);
            }
            return new Ipv6Key(high, low, prefix);
        }
    }

    /**
     * Collects rules; when two lines name the same address the first one wins, as with
     * tcprules' cdb, where a lookup finds the first record for a key.
     */
    static final class Builder {
        private final Map<Long, AccessRule> ipv4 = new HashMap<>();
        private final Map<Ipv6Key, AccessRule> ipv6 = new HashMap<>();
        private final TreeSet<Integer> ipv6Prefixes = new TreeSet<>();
        private AccessRule fallback;

        Builder ipv4(int octets, int ip, AccessRule rule) {
            ipv4.putIfAbsent(ipv4Key(octets, ip), rule);
            return this;
        }

        Builder ipv6(Ipnet network, AccessRule rule) {
            ipv6.putIfAbsent(Ipv6Key.of(network.network(), network.prefix()), rule);
            ipv6Prefixes.add(network.prefix());
            return this;
        }

        Builder fallback(AccessRule rule) {
            if (fallback == null) {
                fallback = rule;
            }
            return this;
        }

        int size() {
            return ipv4.size() + ipv6.size();
        }

        RuleTable build() {
            return new RuleTable(this);
        }
    }
}
