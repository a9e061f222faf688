package dev.qflux.config;

import java.util.List;

/**
 * Reads conf/tcp.smtp in tcprules' text format (ucspi-tcp): {@code address:instructions} per
 * line, {@code #} comments. Addresses: {@code 1.2.3.4}; prefixes ending in a dot, {@code 10.1.};
 * a range in one octet, {@code 1.2.3.40-60} or {@code 10.2-3.} (tcprules expands it into one rule
 * per value); the empty address for the default rule; and, new in qflux, IPv6 in brackets, an
 * exact {@code [2001:db8::1]} or a network {@code [2001:db8::/32]}. Hostname ({@code =host}) and
 * TCPREMOTEINFO ({@code user@ip}) rules need lookups qflux does not make, so they are refused.
 */
final class TcpRulesParser {
    /**
     * Most rules after ranges are expanded. tcp.smtp files have tens to thousands of lines; this
     * bounds the heap should a file be full of 256-value ranges.
     */
    static final int MAX_RULES = 1_000_000;

    private TcpRulesParser() {
    }

    /** The rules of {@code lines} (comments and blank lines already removed). */
    static TcpRules parse(List<ControlLine> lines) throws ConfigException {
        RuleTable.Builder table = new RuleTable.Builder();
        for (ControlLine line : lines) {
            String text = line.content();
            int colon;
            if (text.startsWith("[")) {
                int close = text.indexOf(']');
                if (close < 0) {
                    throw line.error("missing ] after IPv6 address: " + ControlLine.quote(text));
                }
                colon = close + 1;
            } else {
                colon = text.indexOf(':');
            }
            if (colon < 0 || colon >= text.length() || text.charAt(colon) != ':') {
                throw line.error("expected address:instructions such as 127.:allow, got " + ControlLine.quote(text));
            }
            AccessRule rule;
            try {
                rule = RuleInstructions.parse(text.substring(colon + 1));
            } catch (InvalidValue e) {
                throw line.error(e.getMessage());
            }
            address(line, text.substring(0, colon), rule, table);
            if (table.size() > MAX_RULES) {
                throw line.error("more than " + MAX_RULES + " rules once ranges are expanded");
            }
        }
        return table.build();
    }

    private static void address(ControlLine line, String address, AccessRule rule, RuleTable.Builder table)
            throws ConfigException {
        if (address.isEmpty()) {
            table.fallback(rule);
        } else if (address.startsWith("=")) {
            throw line.error("hostname rules (" + ControlLine.quote(address) + ") are not supported:"
                    + " qflux does not look up client names; write the IP address or a prefix such as 10.1.");
        } else if (address.indexOf('@') >= 0) {
            throw line.error("user@address rules (" + ControlLine.quote(address) + ") are not supported:"
                    + " qflux makes no ident (TCPREMOTEINFO) lookups");
        } else {
            try {
                if (address.startsWith("[")) {
                    table.ipv6(ipv6(address), rule);
                } else {
                    ipv4(address, rule, table);
                }
            } catch (InvalidValue e) {
                throw line.error(e.getMessage());
            }
        }
    }

    private static Ipnet ipv6(String bracketed) throws InvalidValue {
        String inner = bracketed.substring(1, bracketed.length() - 1);
        if (inner.indexOf(':') < 0) {
            throw new InvalidValue("brackets hold IPv6 addresses; write IPv4 as 1.2.3.4 or 10.1.: "
                    + ControlLine.quote(bracketed));
        }
        return Ipnet.parse(inner);
    }

    /** tcprules IPv4 syntax: 1 to 3 octets and a dot (prefix) or 4 octets; one octet may be a range. */
    private static void ipv4(String address, AccessRule rule, RuleTable.Builder table) throws InvalidValue {
        if (address.indexOf('/') >= 0) {
            throw new InvalidValue("IPv4 networks are written as prefixes ending in a dot (10.1.) or ranges"
                    + " (10.1.2.0-127), not CIDR: " + ControlLine.quote(address));
        }
        boolean prefix = address.endsWith(".");
        String body = prefix ? address.substring(0, address.length() - 1) : address;
        String[] parts = body.split("\\.", -1);
        if (prefix && parts.length > 3) {
            throw new InvalidValue("a prefix has 1 to 3 octets before its final dot: " + ControlLine.quote(address));
        }
        if (!prefix && parts.length != 4) {
            throw new InvalidValue("incomplete IPv4 address " + ControlLine.quote(address)
                    + ": a prefix must end with a dot, such as 10.1.");
        }
        int fixed = 0;
        int rangeAt = -1;
        int low = 0;
        int high = 0;
        for (int i = 0; i < parts.length; i++) {
            int dash = parts[i].indexOf('-');
            if (dash >= 0) {
                if (rangeAt >= 0) {
                    throw new InvalidValue("only one octet may be a range: " + ControlLine.quote(address));
                }
                rangeAt = i;
                low = IpAddresses.octet(parts[i].substring(0, dash), address);
                high = IpAddresses.octet(parts[i].substring(dash + 1), address);
                if (low > high) {
                    throw new InvalidValue("range runs backwards (" + low + "-" + high + "): "
                            + ControlLine.quote(address));
                }
            } else {
                fixed |= IpAddresses.octet(parts[i], address) << (24 - 8 * i);
            }
        }
        if (rangeAt < 0) {
            table.ipv4(parts.length, fixed, rule);
            return;
        }
        for (int v = low; v <= high; v++) {
            table.ipv4(parts.length, fixed | v << (24 - 8 * rangeAt), rule);
        }
    }
}
