package dev.qflux.dns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/** The order in which MX hosts are tried (RFC 5321 section 5.1). */
final class MxOrder {
    private MxOrder() {
    }

    /**
     * Sorted by preference, lowest first; hosts of equal preference in random order, so that load
     * spreads over them ("randomize them to spread the load", RFC 5321 section 5.1).
     */
    static List<MxHost> sort(List<MxHost> hosts, Random random) {
        List<MxHost> sorted = new ArrayList<>(hosts);
        Collections.shuffle(sorted, random);
        // List.sort is stable, so the shuffled order survives among equal preferences.
        sorted.sort(Comparator.comparingInt(MxHost::preference));
        return sorted;
    }
}
