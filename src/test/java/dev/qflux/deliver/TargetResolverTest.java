package dev.qflux.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.remote.RemoteTarget;
import dev.qflux.dns.MxAnswer;
import dev.qflux.dns.MxHost;
import dev.qflux.route.Route;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

/** qmail-remote's choices after the DNS answer, with the answers given directly. */
class TargetResolverTest {
    private static final InetAddress US = address("192.0.2.25");
    private static final InetAddress A1 = address("198.51.100.1");
    private static final InetAddress A2 = address("198.51.100.2");

    @Test
    void mxHostsInPreferenceOrderOnPort25() {
        var r = resolve(new MxAnswer.Hosts(List.of(new MxHost("mx1.example", 10, List.of(A1)),
                new MxHost("mx2.example", 20, List.of(A2)))), remote("example.com"));
        RemoteTarget t = ((TargetResolver.Resolution.Hosts) r).target();
        assertThat(t.hosts()).extracting(h -> h.name() + " " + h.address().getAddress().getHostAddress()
                + ":" + h.address().getPort()).containsExactly("mx1.example 198.51.100.1:25",
                "mx2.example 198.51.100.2:25");
    }

    @Test
    void permanentAndTemporaryDnsOutcomes() {
        assertThat(outcome(new MxAnswer.NullMx())).isInstanceOf(RecipientOutcome.Failed.class)
                .extracting(RecipientOutcome::text).asString().contains("null MX");
        assertThat(outcome(new MxAnswer.NoSuchDomain("NXDOMAIN"))).isInstanceOf(RecipientOutcome.Failed.class)
                .extracting(RecipientOutcome::text).asString().contains("(#5.1.2)");
        assertThat(outcome(new MxAnswer.TemporaryFailure("SERVFAIL"))).isInstanceOf(RecipientOutcome.Deferred.class)
                .extracting(RecipientOutcome::text).asString().contains("(#4.4.3)").contains("SERVFAIL");
    }

    @Test
    void bestMxBeingThisHostIsQmailsPermanentFailure() {
        var answer = new MxAnswer.Hosts(List.of(new MxHost("us.example", 10, List.of(US)),
                new MxHost("backup.example", 20, List.of(A1))));
        assertThat(outcome(answer)).isInstanceOf(RecipientOutcome.Failed.class)
                .extracting(RecipientOutcome::text).asString().contains("best-preference MX").contains("(#5.4.6)");
    }

    @Test
    void hostsNoBetterThanUsAreDropped() {
        var answer = new MxAnswer.Hosts(List.of(new MxHost("primary.example", 5, List.of(A1)),
                new MxHost("us.example", 10, List.of(US)), new MxHost("other.example", 10, List.of(A2))));
        RemoteTarget t = ((TargetResolver.Resolution.Hosts) resolve(answer, remote("example.com"))).target();
        assertThat(t.hosts()).extracting(RemoteTarget.Host::name).containsExactly("primary.example");
    }

    @Test
    void relayAddressFromSmtproutesNeedsNoLookup() {
        TargetResolver resolver = new TargetResolver(d -> Mono.error(new AssertionError("no lookup")), Set.of(US));
        var r = resolver.resolve(new Route.Remote("example.com", "127.0.0.1", 2525)).block(Duration.ofSeconds(10));
        RemoteTarget t = ((TargetResolver.Resolution.Hosts) r).target();
        assertThat(t.hosts()).singleElement().satisfies(h -> {
            assertThat(h.address().getPort()).isEqualTo(2525);
            assertThat(h.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        });
    }

    private static RecipientOutcome outcome(MxAnswer answer) {
        return ((TargetResolver.Resolution.Unreachable) resolve(answer, remote("example.com"))).outcome();
    }

    private static TargetResolver.Resolution resolve(MxAnswer answer, Route.Remote route) {
        return new TargetResolver(d -> Mono.just(answer), Set.of(US)).resolve(route).block(Duration.ofSeconds(10));
    }

    private static Route.Remote remote(String domain) {
        return new Route.Remote(domain, null, 25);
    }

    private static InetAddress address(String ip) {
        try {
            return InetAddress.getByName(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
