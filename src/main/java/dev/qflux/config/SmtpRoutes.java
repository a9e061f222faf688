package dev.qflux.config;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * control/smtproutes: where remote mail goes instead of the recipient domain's MX hosts. Lines
 * are {@code domain:relay}, {@code domain:relay:port}, {@code .domain:relay} (every subdomain) and
 * {@code :relay} (every other domain, a smarthost); an empty relay ({@code domain:}) means "use
 * MX" and wins over wildcards and the smarthost. A relay is a host name or an address literal
 * ({@code [192.0.2.1]}, {@code [2001:db8::1]}).
 */
public final class SmtpRoutes {
    /** qmail-remote.c: {@code unsigned long port = 25}. */
    public static final int SMTP_PORT = 25;
    /** No routes: every domain by its MX. */
    public static final SmtpRoutes NONE = new SmtpRoutes(Map.of());

    /** Where to connect: {@code host} is a host name (to resolve) or an IP address without brackets. */
    public record Relay(String host, int port) {
    }

    /** key -> relay; an empty relay is an explicit "use MX", which ends the search. */
    private final Map<String, Optional<Relay>> routes;

    private SmtpRoutes(Map<String, Optional<Relay>> routes) {
        this.routes = Map.copyOf(routes);
    }

    /**
     * The relay for {@code domain}, found as qmail-remote does: the domain, each {@code .suffix}
     * from the longest, then the {@code :relay} default; the first entry found decides. Cost: a
     * hash lookup per label, no I/O.
     *
     * @return the relay, or empty to deliver by the domain's MX
     */
    public Optional<Relay> relayFor(String domain) {
        if (routes.isEmpty()) {
            return Optional.empty();
        }
        String d = domain.toLowerCase(Locale.ROOT);
        Optional<Relay> found = routes.get(d);
        for (int dot = d.indexOf('.'); found == null && dot >= 0; dot = d.indexOf('.', dot + 1)) {
            found = routes.get(d.substring(dot));
        }
        if (found == null) {
            found = routes.get("");
        }
        return found == null ? Optional.empty() : found;
    }

    /** Entries of an smtproutes file; the first error names its line. */
    static SmtpRoutes parse(List<ControlLine> lines) throws ConfigException {
        Map<String, Optional<Relay>> routes = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        for (ControlLine line : lines) {
            String text = line.content();
            int colon = text.indexOf(':');
            if (colon < 0) {
                throw line.error("expected domain:relay[:port], domain: or :relay, got " + ControlLine.quote(text));
            }
            String key;
            Optional<Relay> relay;
            try {
                String domain = text.substring(0, colon).strip();
                key = domain.isEmpty() ? "" : DomainNames.normalize(domain, true);
                relay = relay(text.substring(colon + 1).strip());
            } catch (InvalidValue e) {
                throw line.error(e.getMessage());
            }
            Integer earlier = lineOf.putIfAbsent(key, line.number());
            if (earlier != null) {
                throw line.error("duplicate entry for " + ControlLine.quote(key) + ", also on line " + earlier);
            }
            routes.put(key, relay);
        }
        return new SmtpRoutes(routes);
    }

    private static Optional<Relay> relay(String text) throws InvalidValue {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String host;
        String rest;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                throw new InvalidValue("missing ] after the address in " + ControlLine.quote(text));
            }
            host = literal(text.substring(1, close));
            rest = text.substring(close + 1);
        } else {
            int colon = text.indexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            rest = colon < 0 ? "" : text.substring(colon);
            if (name.isEmpty()) {
                throw new InvalidValue("a port needs a relay host before it: " + ControlLine.quote(text));
            }
            if (name.startsWith(".")) {
                throw new InvalidValue("not a host name: " + ControlLine.quote(name));
            }
            host = DomainNames.normalize(name, false);
        }
        int port = SMTP_PORT;
        if (!rest.isEmpty()) {
            if (rest.charAt(0) != ':') {
                throw new InvalidValue("expected :port after the relay in " + ControlLine.quote(text));
            }
            port = Ports.parse(rest.substring(1), text);
        }
        return Optional.of(new Relay(host, port));
    }

    /** {@code 192.0.2.1} or {@code 2001:db8::1} (RFC 5321 4.1.3 also allows an {@code IPv6:} tag). */
    private static String literal(String text) throws InvalidValue {
        String address = text.regionMatches(true, 0, "IPv6:", 0, 5) ? text.substring(5) : text;
        byte[] bytes = address.indexOf(':') >= 0 ? IpAddresses.parseIpv6(address) : IpAddresses.parseIpv4(address);
        return IpAddresses.format(bytes);
    }

    @Override
    public String toString() {
        return new java.util.TreeMap<>(routes).toString();
    }
}
