package dev.qflux.dns;

import org.xbill.DNS.Name;
import org.xbill.DNS.Type;

/** Cache key: one question. {@link Name} compares without case, as DNS names do (RFC 4343). */
record QueryKey(Name name, int type) {
    @Override
    public String toString() {
        return name + "/" + Type.string(type);
    }
}
