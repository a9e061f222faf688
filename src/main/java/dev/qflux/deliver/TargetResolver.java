package dev.qflux.deliver;

import dev.qflux.deliver.remote.RemoteTarget;
import dev.qflux.dns.MxAnswer;
import dev.qflux.dns.MxHost;
import dev.qflux.dns.MxResolver;
import dev.qflux.route.Route;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import reactor.core.publisher.Mono;

/**
 * Turns a remote route into the hosts to try, as qmail-remote does: an smtproutes relay as
 * given, else the domain's MX hosts by preference (A/AAAA when it has no MX). Failures that no
 * retry can mend (no such domain, a null MX, being the best MX ourselves) come back as
 * {@link RecipientOutcome.Failed}; DNS trouble as {@link RecipientOutcome.Deferred}.
 */
final class TargetResolver {
    /** The outcome for every recipient when there is nowhere to go, or where to go. */
    sealed interface Resolution {
        record Hosts(RemoteTarget target) implements Resolution {
        }

        record Unreachable(RecipientOutcome outcome) implements Resolution {
        }
    }

    static final int SMTP_PORT = 25;

    private final MxResolver dns;
    private final Set<InetAddress> ourAddresses;

    TargetResolver(MxResolver dns, Set<InetAddress> ourAddresses) {
        this.dns = dns;
        this.ourAddresses = ourAddresses;
    }

    Mono<Resolution> resolve(Route.Remote route) {
        if (route.relayHost() != null) {
            String relay = route.relayHost();
            if (NetUtil.isValidIpV4Address(relay) || NetUtil.isValidIpV6Address(relay)) {
                InetAddress address = NetUtil.createInetAddressFromIpAddressString(relay);
                return Mono.just(hosts(route.domain(), List.of(
                        new RemoteTarget.Host(relay, new InetSocketAddress(address, route.port())))));
            }
            // A named relay: its addresses (the resolver falls back to A/AAAA without MX).
            return dns.resolve(relay).map(answer -> fromAnswer(route.domain(), relay, answer, route.port(), false));
        }
        return dns.resolve(route.domain()).map(answer -> fromAnswer(route.domain(), route.domain(), answer,
                SMTP_PORT, true));
    }

    private Resolution fromAnswer(String domain, String name, MxAnswer answer, int port, boolean mx) {
        if (answer instanceof MxAnswer.NullMx) {
            return failed("Sorry, " + name + " accepts no mail: it publishes a null MX (RFC 7505). (#5.1.10)");
        }
        if (answer instanceof MxAnswer.NoSuchDomain) {
            return failed("Sorry, I couldn't find any host named " + name + ". (#5.1.2)");
        }
        if (answer instanceof MxAnswer.TemporaryFailure t) {
            return new Resolution.Unreachable(new RecipientOutcome.Deferred(
                    "Sorry, I couldn't find any host by that name. (#4.4.3)/" + t.text()));
        }
        List<MxHost> mxHosts = ((MxAnswer.Hosts) answer).hosts();
        int ours = mx ? ourBestPreference(mxHosts) : Integer.MAX_VALUE;
        if (mx && !mxHosts.isEmpty() && ours <= mxHosts.get(0).preference()) {
            return failed("Sorry. Although I'm listed as a best-preference MX or A for that host,/"
                    + "it isn't in my control/locals file, so I don't treat it as local. (#5.4.6)");
        }
        List<RemoteTarget.Host> hosts = new ArrayList<>();
        for (MxHost h : mxHosts) {
            if (h.preference() >= ours) {
                break; // qmail-remote: never relay to an MX no better than ourselves
            }
            for (InetAddress a : h.addresses()) {
                hosts.add(new RemoteTarget.Host(h.name(), new InetSocketAddress(a, port)));
            }
        }
        if (hosts.isEmpty()) {
            return new Resolution.Unreachable(new RecipientOutcome.Deferred(
                    "Sorry, I couldn't find any address for the mail hosts of " + name + ". (#4.4.3)"));
        }
        return hosts(domain, hosts);
    }

    private int ourBestPreference(List<MxHost> hosts) {
        for (MxHost h : hosts) {
            for (InetAddress a : h.addresses()) {
                if (ourAddresses.contains(a)) {
                    return h.preference(); // hosts are sorted: the first is the best
                }
            }
        }
        return Integer.MAX_VALUE;
    }

    private static Resolution hosts(String domain, List<RemoteTarget.Host> hosts) {
        return new Resolution.Hosts(new RemoteTarget(domain, hosts));
    }

    private static Resolution failed(String text) {
        return new Resolution.Unreachable(new RecipientOutcome.Failed(text));
    }
}
