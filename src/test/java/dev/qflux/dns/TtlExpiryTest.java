package dev.qflux.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.xbill.DNS.Name;

class TtlExpiryTest {
    private static final QueryKey KEY = new QueryKey(Name.root, 15);

    @Test
    void recordTtlIsUsedAsItIs() {
        assertThat(TtlExpiry.timeToLive(new LookupResult.NoData(3600))).isEqualTo(Duration.ofHours(1));
        assertThat(TtlExpiry.timeToLive(new LookupResult.Found(Name.root, List.of(), List.of(), 2)))
                .isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void ttlIsClampedToOneSecondAndOneDay() {
        assertThat(TtlExpiry.timeToLive(new LookupResult.NxDomain(0))).isEqualTo(Duration.ofSeconds(1));
        assertThat(TtlExpiry.timeToLive(new LookupResult.NxDomain(-5))).isEqualTo(Duration.ofSeconds(1));
        assertThat(TtlExpiry.timeToLive(new LookupResult.NoData(Long.MAX_VALUE))).isEqualTo(Duration.ofDays(1));
        assertThat(TtlExpiry.timeToLive(new LookupResult.NoData(2_147_483_647L))).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void temporaryFailuresAreNotKept() {
        assertThat(TtlExpiry.timeToLive(new LookupResult.Failure("SERVFAIL"))).isZero();
        assertThat(new TtlExpiry().expireAfterCreate(KEY, new LookupResult.Failure("timeout"), 0)).isZero();
    }

    @Test
    void createAndUpdateBothReadTheNewValuesTtl() {
        TtlExpiry expiry = new TtlExpiry();
        assertThat(expiry.expireAfterCreate(KEY, new LookupResult.NoData(2), 0))
                .isEqualTo(Duration.ofSeconds(2).toNanos());
        assertThat(expiry.expireAfterUpdate(KEY, new LookupResult.NoData(7), 0, 123))
                .isEqualTo(Duration.ofSeconds(7).toNanos());
        assertThat(expiry.expireAfterRead(KEY, new LookupResult.NoData(7), 0, 123)).isEqualTo(123);
    }
}
