package dev.qflux.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * control/resolver: the DNS servers to ask, one {@code ADDRESS[:PORT]} per line, in order:
 * {@code 192.0.2.53}, {@code 192.0.2.53:5353}, {@code [2001:db8::53]:53}, or a bare IPv6 address
 * as resolv.conf writes it. Addresses only: a resolver named by a host name would need DNS to find.
 */
final class ResolverParser {
    /** RFC 1035 4.2: DNS servers listen on port 53. */
    static final int DNS_PORT = 53;

    private ResolverParser() {
    }

    static List<InetSocketAddress> parse(List<ControlLine> lines) throws ConfigException {
        List<InetSocketAddress> servers = new ArrayList<>();
        Map<InetSocketAddress, Integer> lineOf = new HashMap<>();
        for (ControlLine line : lines) {
            InetSocketAddress server;
            try {
                server = server(line.content());
            } catch (InvalidValue e) {
                throw line.error(e.getMessage());
            }
            Integer earlier = lineOf.putIfAbsent(server, line.number());
            if (earlier != null) {
                throw line.error("duplicate resolver " + ControlLine.quote(line.content())
                        + ", also on line " + earlier);
            }
            servers.add(server);
        }
        return List.copyOf(servers);
    }

    private static InetSocketAddress server(String text) throws InvalidValue {
        byte[] bytes;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new InvalidValue("missing ] after the IPv6 address in " + ControlLine.quote(text));
            }
            bytes = IpAddresses.parseIpv6(text.substring(1, close));
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (rest.charAt(0) != ':') {
                    throw new InvalidValue("expected :port after ] in " + ControlLine.quote(text));
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') != text.lastIndexOf(':')) {
            bytes = IpAddresses.parseIpv6(text); // bare IPv6, as in resolv.conf: no port
        } else {
            int colon = text.indexOf(':');
            String host = colon < 0 ? text : text.substring(0, colon);
            port = colon < 0 ? null : text.substring(colon + 1);
            if (host.isEmpty() || !host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
                throw new InvalidValue("resolver takes IP addresses, not host names: " + ControlLine.quote(text));
            }
            bytes = IpAddresses.parseIpv4(host);
        }
        return new InetSocketAddress(byAddress(bytes), port == null ? DNS_PORT : Ports.parse(port, text));
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // a literal: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }
}
