package dev.qflux.dns;

import static dev.qflux.dns.Messages.a;
import static dev.qflux.dns.Messages.aaaa;
import static dev.qflux.dns.Messages.cname;
import static dev.qflux.dns.Messages.inet;
import static dev.qflux.dns.Messages.mx;
import static dev.qflux.dns.Messages.noError;
import static dev.qflux.dns.Messages.response;
import static dev.qflux.dns.Messages.soa;
import static dev.qflux.dns.Messages.withAdditional;
import static dev.qflux.dns.Messages.withAuthority;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class DnsMxResolverTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ScriptedResolver dns = new ScriptedResolver();
    private final DnsMxResolver resolver = DnsMxResolver.using(dns, 1000);

    private MxAnswer resolve(String domain) {
        return resolver.resolve(domain).block(WAIT);
    }

    @Test
    void hostsComeInPreferenceOrderWithATheAaaaAddresses() {
        dns.answer("a.test./MX", noError("a.test", Type.MX,
                mx("a.test", 300, 20, "mx2.a.test"), mx("a.test", 300, 10, "mx1.a.test")));
        dns.answer("mx1.a.test./A", noError("mx1.a.test", Type.A, a("mx1.a.test", 300, "192.0.2.1")));
        dns.answer("mx1.a.test./AAAA", noError("mx1.a.test", Type.AAAA, aaaa("mx1.a.test", 300, "2001:db8::1")));
        dns.answer("mx2.a.test./AAAA", noError("mx2.a.test", Type.AAAA, aaaa("mx2.a.test", 300, "2001:db8::2")));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("mx1.a.test", 10, List.of(inet("192.0.2.1"), inet("2001:db8::1"))),
                new MxHost("mx2.a.test", 20, List.of(inet("2001:db8::2"))))));
    }

    @Test
    void glueInTheMxAnswerSavesAddressQueries() {
        dns.answer("a.test./MX", withAdditional(withAdditional(
                noError("a.test", Type.MX, mx("a.test", 300, 10, "mx.a.test")),
                a("mx.a.test", 300, "192.0.2.1")), aaaa("mx.a.test", 300, "2001:db8::1")));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("mx.a.test", 10, List.of(inet("192.0.2.1"), inet("2001:db8::1"))))));
        assertThat(dns.asked).containsExactly("a.test./MX");
    }

    @Test
    void aHostWithoutAddressesIsKeptWithAnEmptyList() {
        dns.answer("a.test./MX", noError("a.test", Type.MX,
                mx("a.test", 300, 10, "gone.a.test"), mx("a.test", 300, 20, "mx.a.test")));
        dns.answer("gone.a.test./A", withAuthority(response("gone.a.test", Type.A, Rcode.NXDOMAIN), soa("a.test", 60, 60)));
        dns.answer("gone.a.test./AAAA", withAuthority(response("gone.a.test", Type.AAAA, Rcode.NXDOMAIN), soa("a.test", 60, 60)));
        dns.answer("mx.a.test./A", noError("mx.a.test", Type.A, a("mx.a.test", 300, "192.0.2.1")));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("gone.a.test", 10, List.of()),
                new MxHost("mx.a.test", 20, List.of(inet("192.0.2.1"))))));
    }

    @Test
    void noMxMeansTheDomainItselfFromItsAddresses() {
        dns.answer("a.test./MX", withAuthority(noError("a.test", Type.MX), soa("test", 300, 300)));
        dns.answer("a.test./A", noError("a.test", Type.A, a("a.test", 300, "192.0.2.5")));

        assertThat(resolve("A.Test.")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("a.test", 0, List.of(inet("192.0.2.5"))))));
    }

    @Test
    void noMxAndNoAddressesIsNoSuchDomain() {
        dns.answer("a.test./MX", withAuthority(noError("a.test", Type.MX), soa("test", 300, 300)));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.NoSuchDomain("no MX and no A/AAAA records for a.test"));
    }

    @Test
    void nullMxIsItsOwnAnswer() {
        dns.answer("a.test./MX", noError("a.test", Type.MX, mx("a.test", 300, 0, ".")));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.NullMx());
        assertThat(dns.asked).containsExactly("a.test./MX");
    }

    @Test
    void aRootTargetBesideRealHostsIsSkipped() {
        dns.answer("a.test./MX", noError("a.test", Type.MX,
                mx("a.test", 300, 0, "."), mx("a.test", 300, 10, "mx.a.test")));
        dns.answer("mx.a.test./A", noError("mx.a.test", Type.A, a("mx.a.test", 300, "192.0.2.1")));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("mx.a.test", 10, List.of(inet("192.0.2.1"))))));
    }

    @Test
    void nxdomainIsNoSuchDomain() {
        dns.answer("nope.test./MX", response("nope.test", Type.MX, Rcode.NXDOMAIN));

        assertThat(resolve("nope.test")).isEqualTo(new MxAnswer.NoSuchDomain("no such domain: nope.test (NXDOMAIN)"));
    }

    @Test
    void servfailAndTimeoutAreTemporary() {
        dns.answer("a.test./MX", response("a.test", Type.MX, Rcode.SERVFAIL));
        dns.fail("b.test./MX", new SocketTimeoutException("Query timed out"));

        assertThat(resolve("a.test")).isEqualTo(new MxAnswer.TemporaryFailure("DNS temporary failure for a.test: SERVFAIL"));
        assertThat(resolve("b.test")).isEqualTo(new MxAnswer.TemporaryFailure("DNS temporary failure for b.test: timeout"));
    }

    @Test
    void temporaryFailuresAreAskedAgain() {
        dns.answer("a.test./MX", response("a.test", Type.MX, Rcode.SERVFAIL));

        resolve("a.test");
        resolve("a.test");

        assertThat(dns.count("a.test./MX")).isEqualTo(2);
    }

    @Test
    void mxHostsThatAllFailForNowMakeTheAnswerTemporary() {
        dns.answer("a.test./MX", noError("a.test", Type.MX, mx("a.test", 300, 10, "mx.a.test")));
        dns.answer("mx.a.test./A", response("mx.a.test", Type.A, Rcode.SERVFAIL));

        assertThat(resolve("a.test")).isInstanceOf(MxAnswer.TemporaryFailure.class)
                .extracting(t -> ((MxAnswer.TemporaryFailure) t).text()).asString()
                .startsWith("DNS temporary failure for a.test: no address for any MX host: A mx.a.test: SERVFAIL");
    }

    @Test
    void cnameAcrossAnswersIsFollowed() {
        dns.answer("www.a.test./MX", noError("www.a.test", Type.MX, cname("www.a.test", 300, "mail.b.test")));
        dns.answer("mail.b.test./MX", noError("mail.b.test", Type.MX, mx("mail.b.test", 300, 5, "mx.b.test")));
        dns.answer("mx.b.test./A", noError("mx.b.test", Type.A, a("mx.b.test", 300, "192.0.2.8")));

        assertThat(resolve("www.a.test")).isEqualTo(new MxAnswer.Hosts(List.of(
                new MxHost("mx.b.test", 5, List.of(inet("192.0.2.8"))))));
    }

    @Test
    void cnameLoopAcrossAnswersEndsAsTemporary() {
        dns.answer("x.test./MX", noError("x.test", Type.MX, cname("x.test", 300, "y.test")));
        dns.answer("y.test./MX", noError("y.test", Type.MX, cname("y.test", 300, "x.test")));

        assertThat(resolve("x.test")).isEqualTo(
                new MxAnswer.TemporaryFailure("DNS temporary failure for x.test: CNAME chain longer than 8"));
        assertThat(dns.asked).hasSize(2);
    }

    @Test
    void invalidNamesAndAddressLiteralsNeedNoQuery() {
        assertThat(resolve("[192.0.2.1]")).isInstanceOf(MxAnswer.NoSuchDomain.class);
        assertThat(resolve("bad..name")).isInstanceOf(MxAnswer.NoSuchDomain.class);
        assertThat(dns.asked).isEmpty();
    }

    @Test
    void answersAreReusedWithinTheirTtl() {
        dns.answer("a.test./MX", noError("a.test", Type.MX, mx("a.test", 3600, 10, "mx.a.test")));
        dns.answer("mx.a.test./A", noError("mx.a.test", Type.A, a("mx.a.test", 3600, "192.0.2.1")));

        MxAnswer first = resolve("a.test");
        MxAnswer second = resolve("a.test");

        assertThat(second).isEqualTo(first);
        assertThat(dns.count("a.test./MX")).isEqualTo(1);
        assertThat(resolver.stats()).isEqualTo(new DnsStats(3, 3)); // MX, A, AAAA once; then three hits
    }

    @Test
    void overlappingLookupsShareOneQuery() {
        CompletableFuture<Message> gate = dns.hold("a.test./MX",
                noError("a.test", Type.MX, mx("a.test", 300, 0, ".")));

        CompletableFuture<MxAnswer> first = resolver.resolve("a.test").subscribeOn(Schedulers.parallel()).toFuture();
        CompletableFuture<MxAnswer> second = resolver.resolve("a.test").subscribeOn(Schedulers.parallel()).toFuture();
        // Both lookups are waiting on the one query before it is answered.
        waitUntil(() -> resolver.stats().cacheHits() + resolver.stats().queriesSent() == 2);
        gate.complete(null);

        assertThat(Mono.fromFuture(first).block(WAIT)).isEqualTo(new MxAnswer.NullMx());
        assertThat(Mono.fromFuture(second).block(WAIT)).isEqualTo(new MxAnswer.NullMx());
        assertThat(dns.count("a.test./MX")).isEqualTo(1);
        assertThat(resolver.stats()).isEqualTo(new DnsStats(1, 1));
    }

    @Test
    void oneLookupGivingUpDoesNotCancelTheSharedQuery() {
        CompletableFuture<Message> gate = dns.hold("a.test./MX",
                noError("a.test", Type.MX, mx("a.test", 300, 0, ".")));

        reactor.core.Disposable impatient = resolver.resolve("a.test").subscribe();
        CompletableFuture<MxAnswer> patient = resolver.resolve("a.test").toFuture();
        impatient.dispose();
        gate.complete(null);

        assertThat(Mono.fromFuture(patient).block(WAIT)).isEqualTo(new MxAnswer.NullMx());
        assertThat(dns.count("a.test./MX")).isEqualTo(1);
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("condition within " + WAIT).isNegative();
            Thread.onSpinWait();
        }
    }
}
