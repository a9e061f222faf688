package dev.qflux.dns;

import java.util.List;

import org.xbill.DNS.Name;
import org.xbill.DNS.Record;

/** What one (name, type) query established; the unit the cache stores. */
sealed interface LookupResult {
    /** Seconds this result may be reused; 0 means not at all. */
    long ttlSeconds();

    /**
     * Records of the asked type, found at {@code owner} (the end of any CNAME chain); for MX, the
     * A/AAAA records the answer carried for the exchanges ({@code glue}, else empty).
     */
    record Found(Name owner, List<Record> records, List<Record> glue, long ttlSeconds) implements LookupResult {
        public Found {
            records = List.copyOf(records);
            glue = List.copyOf(glue);
        }
    }

    /** The name is an alias whose target this answer did not cover; ask again for the target. */
    record Alias(Name target, long ttlSeconds) implements LookupResult {
    }

    /** The name exists but has no records of the asked type (NOERROR/NODATA, RFC 2308 section 2.2). */
    record NoData(long ttlSeconds) implements LookupResult {
    }

    /** The name does not exist (NXDOMAIN, RFC 2308 section 2.1). */
    record NxDomain(long ttlSeconds) implements LookupResult {
    }

    /** No usable answer now: SERVFAIL, REFUSED, timeout, a broken answer. Never cached. */
    record Failure(String reason) implements LookupResult {
        @Override
        public long ttlSeconds() {
            return 0;
        }
    }
}
