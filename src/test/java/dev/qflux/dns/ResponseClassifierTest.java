package dev.qflux.dns;

import static dev.qflux.dns.Messages.a;
import static dev.qflux.dns.Messages.aaaa;
import static dev.qflux.dns.Messages.cname;
import static dev.qflux.dns.Messages.mx;
import static dev.qflux.dns.Messages.name;
import static dev.qflux.dns.Messages.noError;
import static dev.qflux.dns.Messages.ns;
import static dev.qflux.dns.Messages.response;
import static dev.qflux.dns.Messages.soa;
import static dev.qflux.dns.Messages.withAdditional;
import static dev.qflux.dns.Messages.withAuthority;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

class ResponseClassifierTest {
    private static LookupResult classify(String qname, int qtype, Message m) {
        return ResponseClassifier.classify(name(qname), qtype, m);
    }

    @Test
    void nxdomainLivesForTheLesserOfSoaTtlAndMinimum() {
        Message m = withAuthority(response("nope.test", Type.MX, Rcode.NXDOMAIN), soa("test", 900, 60));
        assertThat(classify("nope.test", Type.MX, m)).isEqualTo(new LookupResult.NxDomain(60));

        Message m2 = withAuthority(response("nope.test", Type.MX, Rcode.NXDOMAIN), soa("test", 30, 600));
        assertThat(classify("nope.test", Type.MX, m2)).isEqualTo(new LookupResult.NxDomain(30));
    }

    @Test
    void negativeAnswerWithoutSoaUsesTheDefault() {
        assertThat(classify("nope.test", Type.MX, response("nope.test", Type.MX, Rcode.NXDOMAIN)))
                .isEqualTo(new LookupResult.NxDomain(ResponseClassifier.DEFAULT_NEGATIVE_TTL_SECONDS));
        assertThat(classify("a.test", Type.MX, noError("a.test", Type.MX)))
                .isEqualTo(new LookupResult.NoData(300));
    }

    @Test
    void noDataTakesTheSoaMinimum() {
        Message m = withAuthority(noError("a.test", Type.MX), soa("test", 3600, 120));
        assertThat(classify("a.test", Type.MX, m)).isEqualTo(new LookupResult.NoData(120));
    }

    @Test
    void servfailRefusedAndOtherRcodesAreFailures() {
        assertThat(classify("a.test", Type.MX, response("a.test", Type.MX, Rcode.SERVFAIL)))
                .isEqualTo(new LookupResult.Failure("SERVFAIL"));
        assertThat(classify("a.test", Type.MX, response("a.test", Type.MX, Rcode.REFUSED)))
                .isEqualTo(new LookupResult.Failure("REFUSED"));
        assertThat(classify("a.test", Type.MX, response("a.test", Type.MX, Rcode.FORMERR)))
                .isEqualTo(new LookupResult.Failure("FORMERR"));
    }

    @Test
    void aStillTruncatedAnswerIsAFailure() {
        Message m = noError("a.test", Type.MX, mx("a.test", 60, 10, "mx.a.test"));
        m.getHeader().setFlag(Flags.TC);
        assertThat(classify("a.test", Type.MX, m)).isEqualTo(new LookupResult.Failure("truncated answer"));
    }

    @Test
    void mxRecordsAreFoundWithTheSmallestTtlAndTheirGlue() {
        Message m = noError("a.test", Type.MX, mx("a.test", 600, 10, "mx1.a.test"), mx("a.test", 300, 20, "mx2.a.test"));
        withAdditional(m, a("mx1.a.test", 900, "192.0.2.1"));
        withAdditional(m, aaaa("mx2.a.test", 900, "2001:db8::2"));
        withAdditional(m, a("elsewhere.test", 5, "192.0.2.9"));

        LookupResult.Found found = (LookupResult.Found) classify("a.test", Type.MX, m);

        assertThat(found.owner()).isEqualTo(name("a.test"));
        assertThat(found.records()).hasSize(2);
        assertThat(found.glue()).extracting(r -> r.getName().toString())
                .containsExactly("mx1.a.test.", "mx2.a.test.");
        assertThat(found.ttlSeconds()).isEqualTo(300);
    }

    @Test
    void ownerNamesCompareWithoutCase() {
        Message m = noError("a.test", Type.A, a("A.TEST", 60, "192.0.2.1"));
        assertThat(classify("a.test", Type.A, m)).isInstanceOf(LookupResult.Found.class);
    }

    @Test
    void cnameChainInsideTheAnswerIsFollowed() {
        Message m = noError("www.a.test", Type.A,
                cname("www.a.test", 50, "web.a.test"), cname("web.a.test", 500, "host.b.test"),
                a("host.b.test", 400, "192.0.2.7"));
        LookupResult.Found found = (LookupResult.Found) classify("www.a.test", Type.A, m);
        assertThat(found.owner()).isEqualTo(name("host.b.test"));
        assertThat(found.ttlSeconds()).isEqualTo(50);
    }

    @Test
    void cnameToANameTheAnswerDoesNotCoverIsAnAlias() {
        Message m = noError("www.a.test", Type.MX, cname("www.a.test", 70, "mail.b.test"));
        assertThat(classify("www.a.test", Type.MX, m)).isEqualTo(new LookupResult.Alias(name("mail.b.test"), 70));
    }

    @Test
    void cnameToANameWithoutDataIsNoData() {
        Message m = withAuthority(noError("www.a.test", Type.MX, cname("www.a.test", 70, "mail.b.test")),
                soa("b.test", 3600, 40));
        assertThat(classify("www.a.test", Type.MX, m)).isEqualTo(new LookupResult.NoData(40));
    }

    @Test
    void cnameLoopIsBounded() {
        Message m = noError("x.test", Type.A, cname("x.test", 60, "y.test"), cname("y.test", 60, "x.test"));
        assertThat(classify("x.test", Type.A, m))
                .isEqualTo(new LookupResult.Failure("CNAME chain longer than 8"));
    }

    @Test
    void referralFromANonRecursiveServerIsAFailure() {
        Message m = withAuthority(noError("a.test", Type.MX), ns("a.test", "ns.a.test"));
        assertThat(classify("a.test", Type.MX, m)).isInstanceOf(LookupResult.Failure.class);
    }
}
