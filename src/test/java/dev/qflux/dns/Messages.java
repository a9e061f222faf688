package dev.qflux.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.NSRecord;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;

/** Crafted DNS responses and records for tests that need no server. */
final class Messages {
    private Messages() {
    }

    static Name name(String text) {
        return Name.fromConstantString(text.endsWith(".") ? text : text + ".");
    }

    /** A response to {@code qname}/{@code qtype} with the given rcode and nothing else yet. */
    static Message response(String qname, int qtype, int rcode) {
        Message m = new Message();
        m.getHeader().setFlag(Flags.QR);
        m.getHeader().setFlag(Flags.RD);
        m.getHeader().setFlag(Flags.RA);
        m.getHeader().setRcode(rcode);
        m.addRecord(Record.newRecord(name(qname), qtype, DClass.IN), Section.QUESTION);
        return m;
    }

    static Message noError(String qname, int qtype, Record... answer) {
        Message m = response(qname, qtype, Rcode.NOERROR);
        for (Record r : answer) {
            m.addRecord(r, Section.ANSWER);
        }
        return m;
    }

    static Message withAuthority(Message m, Record r) {
        m.addRecord(r, Section.AUTHORITY);
        return m;
    }

    static Message withAdditional(Message m, Record r) {
        m.addRecord(r, Section.ADDITIONAL);
        return m;
    }

    static MXRecord mx(String owner, long ttl, int pref, String target) {
        return new MXRecord(name(owner), DClass.IN, ttl, pref, target.equals(".") ? Name.root : name(target));
    }

    static ARecord a(String owner, long ttl, String address) {
        return new ARecord(name(owner), DClass.IN, ttl, inet(address));
    }

    static AAAARecord aaaa(String owner, long ttl, String address) {
        return new AAAARecord(name(owner), DClass.IN, ttl, inet(address));
    }

    static CNAMERecord cname(String owner, long ttl, String target) {
        return new CNAMERecord(name(owner), DClass.IN, ttl, name(target));
    }

    static NSRecord ns(String owner, String target) {
        return new NSRecord(name(owner), DClass.IN, 3600, name(target));
    }

    /** An SOA whose own TTL and MINIMUM field differ, so tests see which one is used. */
    static SOARecord soa(String zone, long ttl, long minimum) {
        return new SOARecord(name(zone), DClass.IN, ttl, name("ns." + zone), name("hostmaster." + zone),
                1, 3600, 600, 86400, minimum);
    }

    static InetAddress inet(String literal) {
        try {
            return InetAddress.getByAddress(literal, InetAddress.getByName(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
