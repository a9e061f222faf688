package dev.qflux.deliver.remote;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Where a remote delivery goes: the hosts to try, in order (MX preference, then address order),
 * each with the name it was found under (for logs and TLS checks).
 */
public record RemoteTarget(String domain, List<Host> hosts) {
    public RemoteTarget {
        hosts = List.copyOf(hosts);
    }

    public record Host(String name, InetSocketAddress address) {
    }
}
