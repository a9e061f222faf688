package dev.qflux.dns;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * MX resolution over dnsjava's asynchronous resolver, with a TTL cache. Follows RFC 5321 section
 * 5.1: MX records sorted by preference, the implicit MX when there are none, RFC 7505 null MX.
 */
public final class DnsMxResolver implements MxResolver {
    /**
     * MX hosts whose addresses are looked up, in the order they would be tried. Postfix tries at
     * most 5 addresses per delivery (smtp_mx_address_limit); 16 hosts leaves ample room and keeps a
     * hostile MX set from fanning out into hundreds of queries.
     */
    static final int MAX_MX_HOSTS = 16;
    /** Address lookups in flight at once for one domain's MX hosts. */
    static final int PARALLEL_HOST_LOOKUPS = 4;
    /** Where the system's resolvers are configured (resolv.conf(5)). */
    static final Path RESOLV_CONF = Path.of("/etc/resolv.conf");

    private final CachedLookups lookups;

    private DnsMxResolver(CachedLookups lookups) {
        this.lookups = lookups;
    }

    /**
     * A resolver asking {@code servers} (recursive resolvers, tried in order), waiting
     * {@code timeout} for each server's answer, caching at most {@code maxCacheEntries} answers.
     */
    public static DnsMxResolver create(List<InetSocketAddress> servers, Duration timeout, long maxCacheEntries) {
        return new DnsMxResolver(new CachedLookups(networkResolver(servers, timeout), maxCacheEntries));
    }

    /** Package-private seam: any dnsjava {@link Resolver}, for tests. */
    static DnsMxResolver using(Resolver resolver, long maxCacheEntries) {
        return new DnsMxResolver(new CachedLookups(resolver, maxCacheEntries));
    }

    /**
     * The nameservers of /etc/resolv.conf, or 127.0.0.1:53 when it names none. Reads the file: call
     * it once at start-up, not on an event loop.
     */
    public static List<InetSocketAddress> systemServers() {
        return ResolvConf.servers(RESOLV_CONF);
    }

    public DnsStats stats() {
        return lookups.stats();
    }

    @Override
    public Mono<MxAnswer> resolve(String domain) {
        return Mono.defer(() -> {
            Name name;
            try {
                name = DomainNames.parse(domain);
            } catch (IllegalArgumentException e) {
                return Mono.just(new MxAnswer.NoSuchDomain(e.getMessage()));
            }
            return lookups.lookup(name, Type.MX).flatMap(mx -> answer(domain, name, mx));
        });
    }

    private Mono<MxAnswer> answer(String domain, Name name, LookupResult mx) {
        if (mx instanceof LookupResult.Found found) {
            return mxHosts(domain, found);
        }
        if (mx instanceof LookupResult.NoData) {
            return implicitMx(domain, name);
        }
        if (mx instanceof LookupResult.NxDomain) {
            return Mono.just(new MxAnswer.NoSuchDomain("no such domain: " + domain + " (NXDOMAIN)"));
        }
        return Mono.just(temporary(domain, mx));
    }

    /** RFC 7505 null MX, else every exchange with its addresses. */
    private Mono<MxAnswer> mxHosts(String domain, LookupResult.Found found) {
        Map<Name, Integer> exchanges = new LinkedHashMap<>();
        for (Record r : found.records()) {
            MXRecord mx = (MXRecord) r;
            // "." is not a host. Alone it is a null MX; beside other records (RFC 7505 section 3
            // forbids that) it is skipped.
            if (!mx.getTarget().equals(Name.root)) {
                exchanges.merge(mx.getTarget(), mx.getPriority(), Math::min);
            }
        }
        if (exchanges.isEmpty()) {
            return Mono.just(new MxAnswer.NullMx());
        }
        List<MxHost> unresolved = new ArrayList<>();
        Map<String, Name> names = new HashMap<>();
        exchanges.forEach((host, pref) -> {
            unresolved.add(new MxHost(host.toString(true), pref, List.of()));
            names.put(host.toString(true), host);
        });
        List<MxHost> ordered = MxOrder.sort(unresolved, ThreadLocalRandom.current());
        List<MxHost> tried = ordered.subList(0, Math.min(MAX_MX_HOSTS, ordered.size()));
        return Flux.fromIterable(tried)
                .flatMapSequential(host -> addresses(names.get(host.name()), found.glue())
                        .map(a -> new Resolved(new MxHost(host.name(), host.preference(), a.addresses()), a.failure())),
                        PARALLEL_HOST_LOOKUPS)
                .collectList()
                .map(resolved -> hostsOrTemporary(domain, resolved));
    }

    private record Resolved(MxHost host, String failure) {
    }

    /**
     * Hosts, unless none has an address and some lookup failed only for now: then delivery must
     * wait (4.4.3) rather than find no host at all.
     */
    private static MxAnswer hostsOrTemporary(String domain, List<Resolved> resolved) {
        boolean anyAddress = resolved.stream().anyMatch(r -> !r.host().addresses().isEmpty());
        String failure = resolved.stream().map(Resolved::failure).filter(f -> f != null).findFirst().orElse(null);
        if (!anyAddress && failure != null) {
            return new MxAnswer.TemporaryFailure("DNS temporary failure for " + domain
                    + ": no address for any MX host: " + failure);
        }
        return new MxAnswer.Hosts(resolved.stream().map(Resolved::host).toList());
    }

    /** RFC 5321 section 5.1: no MX records means the domain itself, at preference 0. */
    private Mono<MxAnswer> implicitMx(String domain, Name name) {
        return addresses(name, List.of()).map(a -> {
            if (!a.addresses().isEmpty()) {
                return new MxAnswer.Hosts(List.of(new MxHost(name.toString(true), 0, a.addresses())));
            }
            if (a.failure() != null) {
                return new MxAnswer.TemporaryFailure("DNS temporary failure for " + domain + ": " + a.failure());
            }
            return new MxAnswer.NoSuchDomain("no MX and no A/AAAA records for " + domain);
        });
    }

    private Mono<HostAddresses> addresses(Name host, List<Record> glue) {
        return Mono.zip(addressesOfType(host, Type.A, glue), addressesOfType(host, Type.AAAA, glue),
                HostAddresses::concat);
    }

    /** Glue from the MX answer when it has this type for the host, else a (cached) query. */
    private Mono<HostAddresses> addressesOfType(Name host, int type, List<Record> glue) {
        List<Record> given = ResponseClassifier.recordsAt(glue, host, type);
        if (!given.isEmpty()) {
            return Mono.just(HostAddresses.of(given));
        }
        return lookups.lookup(host, type).map(result -> {
            if (result instanceof LookupResult.Found found) {
                return HostAddresses.of(found.records());
            }
            if (result instanceof LookupResult.Failure f) {
                return new HostAddresses(List.of(), Type.string(type) + " " + host.toString(true) + ": " + f.reason());
            }
            return new HostAddresses(List.of(), null);
        });
    }

    private static MxAnswer temporary(String domain, LookupResult result) {
        String reason = result instanceof LookupResult.Failure f ? f.reason() : "unexpected answer " + result;
        return new MxAnswer.TemporaryFailure("DNS temporary failure for " + domain + ": " + reason);
    }

    private static Resolver networkResolver(List<InetSocketAddress> servers, Duration timeout) {
        if (servers.isEmpty()) {
            throw new IllegalArgumentException("no DNS servers given");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("DNS timeout must be positive: " + timeout);
        }
        List<Resolver> each = new ArrayList<>();
        for (InetSocketAddress server : servers) {
            SimpleResolver r = new SimpleResolver(server);
            r.setTimeout(timeout);
            each.add(r);
        }
        if (each.size() == 1) {
            return each.get(0);
        }
        ExtendedResolver all = new ExtendedResolver(each);
        all.setRetries(1);
        // Each server gets its full timeout before the next is asked.
        all.setTimeout(timeout.multipliedBy(each.size()));
        return all;
    }
}
