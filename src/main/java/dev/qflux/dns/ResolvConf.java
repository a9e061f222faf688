package dev.qflux.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.Address;

/** The {@code nameserver} lines of resolv.conf(5). */
final class ResolvConf {
    /** resolv.conf(5): the port is always 53. */
    static final int DNS_PORT = 53;
    /** resolv.conf(5): "If there are no nameserver lines ... the default is the local machine." */
    static final InetSocketAddress DEFAULT_SERVER =
            new InetSocketAddress(InetAddress.getLoopbackAddress(), DNS_PORT);

    private ResolvConf() {
    }

    /** Servers named in {@code file}, in order; {@link #DEFAULT_SERVER} if none or unreadable. */
    static List<InetSocketAddress> servers(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            return List.of(DEFAULT_SERVER);
        }
        return parse(lines);
    }

    static List<InetSocketAddress> parse(List<String> lines) {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 2 && f[0].equals("nameserver")) {
                // Literals only: looking up a resolver's name would need a resolver.
                String literal = f[1].contains("%") ? f[1].substring(0, f[1].indexOf('%')) : f[1];
                try {
                    servers.add(new InetSocketAddress(Address.getByAddress(literal), DNS_PORT));
                } catch (UnknownHostException e) {
                    // Not an address literal: the C library ignores such a line too.
                }
            }
        }
        return servers.isEmpty() ? List.of(DEFAULT_SERVER) : List.copyOf(servers);
    }
}
