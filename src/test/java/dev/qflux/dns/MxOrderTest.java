package dev.qflux.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;

class MxOrderTest {
    private static MxHost host(String name, int pref) {
        return new MxHost(name, pref, List.of());
    }

    @Test
    void lowestPreferenceComesFirst() {
        List<MxHost> sorted = MxOrder.sort(List.of(host("c", 30), host("a", 10), host("b", 20)), new Random(1));
        assertThat(sorted).extracting(MxHost::name).containsExactly("a", "b", "c");
    }

    @Test
    void equalPreferencesAreShuffledButStayTogether() {
        List<MxHost> hosts = List.of(host("backup", 50), host("x", 10), host("y", 10), host("z", 10));
        Set<String> firstSeen = new HashSet<>();
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            List<MxHost> sorted = MxOrder.sort(hosts, random);
            assertThat(sorted).extracting(MxHost::preference).containsExactly(10, 10, 10, 50);
            firstSeen.add(sorted.get(0).name());
        }
        assertThat(firstSeen).containsExactlyInAnyOrder("x", "y", "z");
    }
}
