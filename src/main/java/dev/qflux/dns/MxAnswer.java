package dev.qflux.dns;

import java.util.List;

/** The closed set of outcomes of an MX lookup. */
public sealed interface MxAnswer {
    /**
     * Hosts in the order to try them: by preference, ties in random order (RFC 5321 section 5.1).
     * A domain without MX records but with A/AAAA records gets its implicit MX: the domain itself
     * at preference 0.
     */
    record Hosts(List<MxHost> hosts) implements MxAnswer {
        public Hosts {
            hosts = List.copyOf(hosts);
        }
    }

    /** RFC 7505 null MX ({@code MX 0 .}): the domain accepts no mail; a permanent failure. */
    record NullMx() implements MxAnswer {
    }

    /** NXDOMAIN, or neither MX nor A/AAAA records: a permanent failure. */
    record NoSuchDomain(String text) implements MxAnswer {
    }

    /** SERVFAIL, REFUSED, timeout, unusable answer: try again later (RFC 3463 4.4.3). */
    record TemporaryFailure(String text) implements MxAnswer {
    }
}
