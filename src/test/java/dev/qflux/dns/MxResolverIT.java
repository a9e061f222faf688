package dev.qflux.dns;

import static dev.qflux.dns.Messages.inet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.scheduler.Schedulers;

/**
 * {@link DnsMxResolver} against real servers on 127.0.0.1: NSD authoritative for {@code mx.test},
 * and Unbound recursing through stub zones. SERVFAIL comes from Unbound asked about
 * {@code broken.test}, whose stub is the same NSD: NSD is not authoritative for it and answers
 * REFUSED, so Unbound has no server left and answers SERVFAIL at once - unlike a dead upstream,
 * which only fails after Unbound's own retry timers. Timeouts come from a UDP socket that is bound
 * but never read, so queries neither get an answer nor an ICMP "port unreachable".
 */
class MxResolverIT {
    /** Generous: the machine is shared and the servers are real processes. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);
    private static final long CACHE_ENTRIES = 1000;

    /** Negative answers live min(SOA TTL, MINIMUM) = 300 s (RFC 2308 section 5). */
    private static final String ZONE = """
            $ORIGIN mx.test.
            $TTL 3600
            @          SOA  ns hostmaster 1 3600 600 86400 300
            @          NS   ns
            ns         A    127.0.0.1
            multi      MX   20 mx2.multi
            multi      MX   10 mx1.multi
            multi      MX   30 mx6.multi
            mx1.multi  A    192.0.2.1
            mx2.multi  A    192.0.2.2
            mx2.multi  AAAA 2001:db8::2
            mx6.multi  AAAA 2001:db8::6
            nullmx     MX   0 .
            aonly      A    192.0.2.10
            short  2   MX   10 mx.short
            mx.short 2 A    192.0.2.20
            """;

    private static final List<MxHost> MULTI_HOSTS = List.of(
            new MxHost("mx1.multi.mx.test", 10, List.of(inet("192.0.2.1"))),
            new MxHost("mx2.multi.mx.test", 20, List.of(inet("192.0.2.2"), inet("2001:db8::2"))),
            new MxHost("mx6.multi.mx.test", 30, List.of(inet("2001:db8::6"))));

    @TempDir
    static Path dir;
    private static DatagramSocket silent;
    private static DnsPeer nsd;
    private static DnsPeer unbound;

    @BeforeAll
    static void startServers() throws IOException {
        silent = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        nsd = DnsPeer.nsd(Files.createDirectories(dir.resolve("nsd")), Map.of("mx.test", ZONE));
        unbound = DnsPeer.unbound(Files.createDirectories(dir.resolve("unbound")),
                Map.of("mx.test", nsd.address(), "broken.test", nsd.address()), silentAddress(), "mx.test");
    }

    @AfterAll
    static void stopServers() {
        if (unbound != null) {
            unbound.close();
        }
        if (nsd != null) {
            nsd.close();
        }
        if (silent != null) {
            silent.close();
        }
    }

    private static InetSocketAddress silentAddress() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), silent.getLocalPort());
    }

    private static DnsMxResolver resolverAt(DnsPeer server) {
        return DnsMxResolver.create(List.of(server.address()), QUERY_TIMEOUT, CACHE_ENTRIES);
    }

    /** Subscribed on a Reactor parallel thread, where BlockHound would catch any blocking call. */
    private static MxAnswer resolve(DnsMxResolver resolver, String domain) {
        return resolver.resolve(domain).subscribeOn(Schedulers.parallel()).block(WAIT);
    }

    @Test
    void hostsInPreferenceOrderWithAaaaOnlyHostKept() {
        assertThat(resolve(resolverAt(nsd), "multi.mx.test")).isEqualTo(new MxAnswer.Hosts(MULTI_HOSTS));
    }

    @Test
    void sameAnswerThroughARecursiveResolver() {
        assertThat(resolve(resolverAt(unbound), "Multi.MX.test.")).isEqualTo(new MxAnswer.Hosts(MULTI_HOSTS));
    }

    @Test
    void domainWithOnlyAnARecordIsItsOwnMx() {
        assertThat(resolve(resolverAt(nsd), "aonly.mx.test")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("aonly.mx.test", 0, List.of(inet("192.0.2.10"))))));
    }

    @Test
    void nullMx() {
        assertThat(resolve(resolverAt(nsd), "nullmx.mx.test")).isEqualTo(new MxAnswer.NullMx());
    }

    @Test
    void nxdomainIsPermanentAndCachedBySoaMinimum() {
        DnsMxResolver resolver = resolverAt(nsd);
        MxAnswer expected = new MxAnswer.NoSuchDomain("no such domain: nope.mx.test (NXDOMAIN)");

        assertThat(resolve(resolver, "nope.mx.test")).isEqualTo(expected);
        assertThat(resolve(resolver, "nope.mx.test")).isEqualTo(expected);
        // The SOA minimum of 300 s keeps the second lookup in the cache (the first sends one query).
        assertThat(resolver.stats()).isEqualTo(new DnsStats(1, 1));
    }

    @Test
    void nextServerIsAskedWhenTheFirstNeverAnswers() {
        DnsMxResolver resolver = DnsMxResolver.create(List.of(silentAddress(), nsd.address()),
                Duration.ofSeconds(1), CACHE_ENTRIES);

        assertThat(resolve(resolver, "nullmx.mx.test")).isEqualTo(new MxAnswer.NullMx());
    }

    @Test
    void servfailIsTemporary() {
        assertThat(resolve(resolverAt(unbound), "x.broken.test")).as(unbound.output())
                .isEqualTo(new MxAnswer.TemporaryFailure("DNS temporary failure for x.broken.test: SERVFAIL"));
    }

    @Test
    void serverThatNeverAnswersIsTemporary() {
        DnsMxResolver resolver = DnsMxResolver.create(List.of(silentAddress()), Duration.ofMillis(300), CACHE_ENTRIES);

        assertThat(resolve(resolver, "multi.mx.test"))
                .isEqualTo(new MxAnswer.TemporaryFailure("DNS temporary failure for multi.mx.test: timeout"));
    }

    @Test
    void secondLookupWithinTheTtlSendsNoQuery() {
        DnsMxResolver resolver = resolverAt(nsd);
        resolve(resolver, "multi.mx.test");
        DnsStats first = resolver.stats();

        assertThat(resolve(resolver, "multi.mx.test")).isEqualTo(new MxAnswer.Hosts(MULTI_HOSTS));

        DnsStats second = resolver.stats();
        assertThat(first.queriesSent()).isPositive();
        assertThat(second.queriesSent()).isEqualTo(first.queriesSent());
        assertThat(second.cacheHits()).isGreaterThan(first.cacheHits());
    }

    @Test
    void expiredTtlSendsANewQuery() {
        DnsMxResolver resolver = resolverAt(nsd);
        MxAnswer expected = new MxAnswer.Hosts(List.of(new MxHost("mx.short.mx.test", 10, List.of(inet("192.0.2.20")))));
        assertThat(resolve(resolver, "short.mx.test")).isEqualTo(expected);
        long sent = resolver.stats().queriesSent();

        // The MX record set has a 2 s TTL: lookups answer from the cache until it runs out.
        nsd.awaitCondition(WAIT, () -> {
            assertThat(resolve(resolver, "short.mx.test")).isEqualTo(expected);
            return resolver.stats().queriesSent() > sent;
        }, "a new query once the 2 s TTL ran out");
    }
}
