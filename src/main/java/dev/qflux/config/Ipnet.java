package dev.qflux.config;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 network: the network's bytes and a prefix length. IPv4-mapped IPv6 peers are
 * compared as the IPv4 address they carry, so 10.0.0.0/8 matches ::ffff:10.1.2.3.
 */
final class Ipnet implements Cidr {
    private final byte[] network;
    private final int prefix;

    private Ipnet(byte[] network, int prefix) {
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * {@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a bare address for one host (/32 or /128).
     * The IPv6 forms may be written in brackets ({@code [::1]}, {@code [2001:db8::]/32}). Host
     * bits must be zero: {@code 10.1.2.3/8} is refused as a likely typo.
     */
    static Ipnet parse(String text) throws InvalidValue {
        String t = text;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0) {
                throw new InvalidValue("missing ] in " + ControlLine.quote(text));
            }
            t = t.substring(1, close) + t.substring(close + 1);
        }
        int slash = t.indexOf('/');
        String address = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = address.indexOf(':') >= 0 ? IpAddresses.parseIpv6(address) : IpAddresses.parseIpv4(address);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String length = t.substring(slash + 1);
            if (length.isEmpty() || length.length() > 3 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new InvalidValue("not a prefix length: " + ControlLine.quote(length) + " in "
                        + ControlLine.quote(text));
            }
            prefix = Integer.parseInt(length);
            if (prefix > bits) {
                throw new InvalidValue("prefix length " + prefix + " out of range 0-" + bits + " in "
                        + ControlLine.quote(text));
            }
        }
        byte[] masked = mask(bytes, prefix);
        if (!Arrays.equals(masked, bytes)) {
            throw new InvalidValue("host bits set in " + ControlLine.quote(text) + "; did you mean "
                    + IpAddresses.format(masked) + "/" + prefix + "?");
        }
        return new Ipnet(bytes, prefix);
    }

    /** {@code bytes} with every bit after the first {@code prefix} cleared (a new array). */
    static byte[] mask(byte[] bytes, int prefix) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefix - i * 8));
            out[i] &= (byte) (0xff << (8 - keep));
        }
        return out;
    }

    int prefix() {
        return prefix;
    }

    boolean isIpv6() {
        return network.length == 16;
    }

    byte[] network() {
        return network.clone();
    }

    @Override
    public boolean contains(InetAddress address) {
        byte[] peer = IpAddresses.bytesOf(address);
        if (peer.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        if (!Arrays.equals(peer, 0, whole, network, 0, whole)) {
            return false;
        }
        int rest = prefix % 8;
        return rest == 0 || ((peer[whole] ^ network[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ipnet other && prefix == other.prefix && Arrays.equals(network, other.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return IpAddresses.format(network) + "/" + prefix;
    }
}
