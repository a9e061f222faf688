package dev.qflux.dns;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.Record;

/** A host's addresses so far, and the first temporary failure met finding them (else null). */
record HostAddresses(List<InetAddress> addresses, String failure) {
    HostAddresses {
        addresses = List.copyOf(addresses);
    }

    static HostAddresses of(List<Record> records) {
        List<InetAddress> out = new ArrayList<>();
        for (Record r : records) {
            if (r instanceof ARecord a) {
                out.add(a.getAddress());
            } else if (r instanceof AAAARecord aaaa) {
                out.add(aaaa.getAddress());
            }
        }
        return new HostAddresses(out, null);
    }

    /** A addresses first, then AAAA: {@code this} then {@code next}. */
    HostAddresses concat(HostAddresses next) {
        List<InetAddress> all = new ArrayList<>(addresses);
        all.addAll(next.addresses);
        return new HostAddresses(all, failure != null ? failure : next.failure);
    }
}
