package dev.qflux.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads control/listen (new in qflux; qmail left listening to tcpserver's command line): one
 * listener per line, {@code ADDRESS:PORT PROTOCOL [name=value ...]}. ADDRESS is an IPv4 address,
 * an IPv6 address in brackets, or {@code *} (same as 0.0.0.0). Option {@code proxy=CIDR,...}
 * names the load balancers allowed to send a PROXY header; other options are kept as written.
 */
final class ListenParser {
    static final Set<String> PROTOCOLS = Set.of("smtp", "smtps", "pop3", "pop3s");
    /** A missing control/listen means what a qmail install does: tcpserver on port 25, every address. */
    static final ListenSpec DEFAULT = new ListenSpec(new InetSocketAddress(anyIpv4(), 25), "smtp",
            List.of(), Map.of());

    private ListenParser() {
    }

    static List<ListenSpec> parse(List<ControlLine> lines) throws ConfigException {
        List<ListenSpec> specs = new ArrayList<>();
        List<ControlLine> specLines = new ArrayList<>();
        for (ControlLine line : lines) {
            ListenSpec spec = spec(line);
            for (int i = 0; i < specs.size(); i++) {
                String clash = clash(specs.get(i).address(), spec.address());
                if (clash != null) {
                    throw line.error(clash + " line " + specLines.get(i).number());
                }
            }
            specs.add(spec);
            specLines.add(line);
        }
        return List.copyOf(specs);
    }

    private static ListenSpec spec(ControlLine line) throws ConfigException {
        String[] words = line.content().split("[ \t]+");
        if (words.length < 2) {
            throw line.error("expected ADDRESS:PORT PROTOCOL such as 0.0.0.0:25 smtp, got "
                    + ControlLine.quote(line.text()));
        }
        String protocol = words[1].toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw line.error("unknown protocol " + ControlLine.quote(words[1]) + "; expected smtp, smtps, pop3 or pop3s");
        }
        try {
            InetSocketAddress address = socketAddress(words[0]);
            List<Cidr> proxyFrom = List.of();
            Map<String, String> options = new LinkedHashMap<>();
            for (int i = 2; i < words.length; i++) {
                int eq = words[i].indexOf('=');
                if (eq <= 0) {
                    throw new InvalidValue("expected an option name=value, got " + ControlLine.quote(words[i]));
                }
                String name = words[i].substring(0, eq);
                String value = words[i].substring(eq + 1);
                if (name.equals("proxy") ? !proxyFrom.isEmpty() : options.containsKey(name)) {
                    throw new InvalidValue("option " + name + " given twice");
                }
                if (name.equals("proxy")) {
                    proxyFrom = proxyNetworks(value);
                } else {
                    options.put(name, value);
                }
            }
            return new ListenSpec(address, protocol, proxyFrom, Collections.unmodifiableMap(options));
        } catch (InvalidValue e) {
            throw line.error(e.getMessage());
        }
    }

    private static List<Cidr> proxyNetworks(String value) throws InvalidValue {
        if (value.isEmpty()) {
            throw new InvalidValue("proxy= needs the networks of the load balancers, such as proxy=10.0.0.0/8");
        }
        List<Cidr> networks = new ArrayList<>();
        for (String cidr : value.split(",", -1)) {
            if (cidr.isEmpty()) {
                throw new InvalidValue("empty network in proxy=" + value);
            }
            networks.add(Ipnet.parse(cidr));
        }
        return List.copyOf(networks);
    }

    private static InetSocketAddress socketAddress(String text) throws InvalidValue {
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new InvalidValue("expected ADDRESS:PORT such as 0.0.0.0:25 or [::]:25, got " + ControlLine.quote(text));
        }
        String host = text.substring(0, colon);
        int port = port(text.substring(colon + 1), text);
        byte[] bytes;
        if (host.equals("*")) {
            bytes = new byte[4];
        } else if (host.startsWith("[")) {
            if (!host.endsWith("]")) {
                throw new InvalidValue("missing ] after the IPv6 address in " + ControlLine.quote(text));
            }
            bytes = IpAddresses.parseIpv6(host.substring(1, host.length() - 1));
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidValue("an IPv6 address goes in brackets, such as [::1]:25: " + ControlLine.quote(text));
        } else if (!host.isEmpty() && host.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            bytes = IpAddresses.parseIpv4(host);
        } else {
            throw new InvalidValue("listen takes IP addresses, not host names: " + ControlLine.quote(text));
        }
        return new InetSocketAddress(byAddress(bytes), port);
    }

    /** Port 1-65535, or 0 for a free port picked when the listener binds (useful in tests). */
    private static int port(String text, String whole) throws InvalidValue {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidValue("not a port number in " + ControlLine.quote(whole));
        }
        int port = Integer.parseInt(text);
        if (port > 65535) {
            throw new InvalidValue("port above 65535 in " + ControlLine.quote(whole));
        }
        return port;
    }

    /** Why {@code b} cannot bind beside {@code a}, or null; port 0 never clashes. */
    private static String clash(InetSocketAddress a, InetSocketAddress b) {
        if (a.getPort() != b.getPort() || a.getPort() == 0) {
            return null;
        }
        if (a.getAddress().equals(b.getAddress())) {
            return "duplicate listener " + text(b) + ", also on";
        }
        boolean sameFamily = a.getAddress().getAddress().length == b.getAddress().getAddress().length;
        if (sameFamily && (a.getAddress().isAnyLocalAddress() || b.getAddress().isAnyLocalAddress())) {
            return text(b) + " overlaps " + text(a) + " (every address) on";
        }
        return null;
    }

    private static String text(InetSocketAddress a) {
        String host = IpAddresses.format(a.getAddress().getAddress());
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes); // a literal: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes always make an address", e);
        }
    }

    private static InetAddress anyIpv4() {
        return byAddress(new byte[4]);
    }
}
