package dev.qflux.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * One line of control/listen: {@code ADDRESS:PORT PROTOCOL [name=value ...]}.
 *
 * @param proxyFrom networks allowed to send a PROXY v1/v2 header ({@code proxy=10.0.0.0/8,::1/128});
 *                  empty = PROXY protocol off on this listener
 * @param options   every other option as written, for protocol-specific ones
 */
public record ListenSpec(InetSocketAddress address, String protocol, List<Cidr> proxyFrom,
                         Map<String, String> options) {
    public boolean proxyEnabled() {
        return !proxyFrom.isEmpty();
    }

    public boolean proxyTrusted(java.net.InetAddress peer) {
        for (Cidr c : proxyFrom) {
            if (c.contains(peer)) {
                return true;
            }
        }
        return false;
    }
}
