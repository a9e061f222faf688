package dev.qflux.dns;

import java.net.InetAddress;
import java.util.List;

/**
 * One mail exchanger. {@code addresses} holds its A records, then its AAAA records; it is empty
 * when the host has none, and the caller skips such a host.
 */
public record MxHost(String name, int preference, List<InetAddress> addresses) {
    public MxHost {
        addresses = List.copyOf(addresses);
    }
}
