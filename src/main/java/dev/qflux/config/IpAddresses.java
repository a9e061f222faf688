package dev.qflux.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * Parses IP address literals without ever asking DNS (InetAddress.getByName would for anything
 * that is not a literal), and folds IPv4-mapped IPv6 addresses to IPv4.
 */
final class IpAddresses {
    /** RFC 4291 2.5.5.2: ::ffff:0:0/96 carries an IPv4 address in its last 4 bytes. */
    private static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

    private IpAddresses() {
    }

    /** A dotted quad such as 192.0.2.1: four decimal octets 0-255, no leading zeros. */
    static byte[] parseIpv4(String text) throws InvalidValue {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new InvalidValue("not an IPv4 address: " + ControlLine.quote(text));
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) octet(parts[i], text);
        }
        return bytes;
    }

    /** One decimal octet; leading zeros are refused since some tools read them as octal. */
    static int octet(String part, String whole) throws InvalidValue {
        if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidValue("not an IPv4 address: " + ControlLine.quote(whole));
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            throw new InvalidValue("leading zero in IPv4 address: " + ControlLine.quote(whole));
        }
        int value = Integer.parseInt(part);
        if (value > 255) {
            throw new InvalidValue("octet above 255 in IPv4 address: " + ControlLine.quote(whole));
        }
        return value;
    }

    /**
     * An IPv6 address in RFC 4291 2.2 text form, without brackets or zone. IPv4-mapped addresses
     * are refused: clients that arrive so are matched as IPv4, so the rule is to be written as IPv4.
     */
    static byte[] parseIpv6(String text) throws InvalidValue {
        boolean plausible = text.indexOf(':') >= 0 && text.chars().allMatch(c -> c == ':' || c == '.'
                || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'));
        byte[] bytes = null;
        if (plausible) {
            try {
                bytes = NetUtil.createByteArrayFromIpAddressString(text);
            } catch (RuntimeException e) {
                bytes = null; // Netty answers null for bad input; be safe should it ever throw
            }
        }
        if (bytes == null || bytes.length != 16) {
            throw new InvalidValue("not an IPv6 address: " + ControlLine.quote(text));
        }
        if (isMapped(bytes)) {
            throw new InvalidValue("IPv4-mapped address " + ControlLine.quote(text)
                    + ": write it as IPv4 (" + format(unmapped(bytes)) + "); such clients are matched as IPv4");
        }
        return bytes;
    }

    /** The address's bytes, with an IPv4-mapped IPv6 address turned into its 4 IPv4 bytes. */
    static byte[] bytesOf(InetAddress address) {
        return unmapped(address.getAddress());
    }

    static byte[] unmapped(byte[] bytes) {
        return isMapped(bytes) ? Arrays.copyOfRange(bytes, 12, 16) : bytes;
    }

    private static boolean isMapped(byte[] bytes) {
        return bytes.length == 16 && Arrays.equals(bytes, 0, 12, MAPPED_PREFIX, 0, 12);
    }

    /** RFC 5952 text for IPv6, dotted quad for IPv4. */
    static String format(byte[] bytes) {
        return NetUtil.bytesToIpAddress(bytes);
    }
}
