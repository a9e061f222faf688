package dev.qflux.dns;

import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/** Reads a DNS response into a {@link LookupResult}. Pure: no I/O, so it is tested on crafted messages. */
final class ResponseClassifier {
    /** CNAME hops followed inside one answer, and answers followed per lookup (RFC 1034 section 3.6.2 asks for a bound). */
    static final int MAX_CNAME_DEPTH = 8;
    /** Negative-cache time when an answer carries no SOA to take it from (RFC 2308 section 5). */
    static final long DEFAULT_NEGATIVE_TTL_SECONDS = 300;

    private ResponseClassifier() {
    }

    /**
     * Classifies the response to a query for {@code qname}/{@code qtype}. CNAMEs inside the answer
     * are followed (RFC 5321 section 5.1 follows them for MX too). For MX answers, A and AAAA records
     * for the exchanges found in the additional section are kept as glue.
     */
    static LookupResult classify(Name qname, int qtype, Message response) {
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            // RFC 6604: with a CNAME chain the rcode speaks of the chain's last name.
            return new LookupResult.NxDomain(negativeTtl(response));
        }
        if (rcode != Rcode.NOERROR) {
            return new LookupResult.Failure(Rcode.string(rcode));
        }
        if (response.getHeader().getFlag(Flags.TC)) {
            // dnsjava retries a truncated UDP answer over TCP; still truncated means no full answer.
            return new LookupResult.Failure("truncated answer");
        }
        List<Record> answer = response.getSection(Section.ANSWER);
        Name current = qname;
        long chainTtl = Long.MAX_VALUE;
        for (int hops = 0; ; hops++) {
            List<Record> found = recordsAt(answer, current, qtype);
            if (!found.isEmpty()) {
                List<Record> glue = qtype == Type.MX ? glue(found, response) : List.of();
                long ttl = Math.min(chainTtl, Math.min(minTtl(found), minTtl(glue)));
                return new LookupResult.Found(current, found, glue, ttl);
            }
            List<Record> alias = recordsAt(answer, current, Type.CNAME);
            if (alias.isEmpty()) {
                break;
            }
            if (hops >= MAX_CNAME_DEPTH) {
                return new LookupResult.Failure("CNAME chain longer than " + MAX_CNAME_DEPTH);
            }
            chainTtl = Math.min(chainTtl, alias.get(0).getTTL());
            current = ((CNAMERecord) alias.get(0)).getTarget();
        }
        boolean hasSoa = !recordsOfType(response.getSection(Section.AUTHORITY), Type.SOA).isEmpty();
        if (!current.equals(qname) && !hasSoa) {
            // An authoritative server answers the alias only; the target is asked for separately.
            return new LookupResult.Alias(current, chainTtl);
        }
        if (!hasSoa && !recordsOfType(response.getSection(Section.AUTHORITY), Type.NS).isEmpty()) {
            // A referral: the configured server does not recurse. Wrong configuration, not an answer.
            return new LookupResult.Failure("referral instead of an answer (server does not recurse)");
        }
        return new LookupResult.NoData(Math.min(chainTtl, negativeTtl(response)));
    }

    /**
     * RFC 2308 section 5: a negative answer lives for the lesser of the SOA record's TTL and its
     * MINIMUM field; without an SOA, {@link #DEFAULT_NEGATIVE_TTL_SECONDS}.
     */
    static long negativeTtl(Message response) {
        for (Record r : response.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return DEFAULT_NEGATIVE_TTL_SECONDS;
    }

    /** Records of one type owned by {@code owner}; names compare without case (RFC 4343). */
    static List<Record> recordsAt(List<Record> section, Name owner, int type) {
        List<Record> out = new ArrayList<>();
        for (Record r : section) {
            if (r.getType() == type && r.getName().equals(owner)) {
                out.add(r);
            }
        }
        return out;
    }

    /** A and AAAA records in the additional section owned by one of the MX records' exchanges. */
    private static List<Record> glue(List<Record> mxRecords, Message response) {
        List<Record> glue = new ArrayList<>();
        for (Record r : response.getSection(Section.ADDITIONAL)) {
            boolean address = r.getType() == Type.A || r.getType() == Type.AAAA;
            if (address && mxRecords.stream().anyMatch(mx -> mx.getAdditionalName().equals(r.getName()))) {
                glue.add(r);
            }
        }
        return glue;
    }

    private static List<Record> recordsOfType(List<Record> section, int type) {
        return section.stream().filter(r -> r.getType() == type).toList();
    }

    private static long minTtl(List<Record> records) {
        return records.stream().mapToLong(Record::getTTL).min().orElse(Long.MAX_VALUE);
    }
}
