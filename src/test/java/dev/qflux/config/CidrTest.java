package dev.qflux.config;

import static dev.qflux.config.ConfDir.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import org.junit.jupiter.api.Test;

class CidrTest {
    @Test
    void ipv4Networks() throws Exception {
        Cidr net = Cidr.parse("10.0.0.0/8");
        assertThat(net.contains(ip("10.255.1.2"))).isTrue();
        assertThat(net.contains(ip("11.0.0.0"))).isFalse();
        assertThat(net.contains(ip("::a00:1"))).isFalse();
        Cidr odd = Cidr.parse("192.0.2.128/25");
        assertThat(odd.contains(ip("192.0.2.200"))).isTrue();
        assertThat(odd.contains(ip("192.0.2.127"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void bareAddressIsOneHost() throws Exception {
        assertThat(Cidr.parse("192.0.2.1")).hasToString("192.0.2.1/32");
        assertThat(Cidr.parse("::1")).hasToString("::1/128");
        assertThat(Cidr.parse("[::1]")).hasToString("::1/128");
        assertThat(Cidr.parse("192.0.2.1").contains(ip("192.0.2.2"))).isFalse();
    }

    @Test
    void ipv6Networks() throws Exception {
        Cidr net = Cidr.parse("2001:db8:8000::/33");
        assertThat(net.contains(ip("2001:db8:8000::1"))).isTrue();
        assertThat(net.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(net.contains(ip("2001:db8:7fff::1"))).isFalse();
        assertThat(net.contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("[2001:db8::]/32")).isEqualTo(Cidr.parse("2001:DB8::/32"));
    }

    @Test
    void mappedPeersCountAsIpv4() throws Exception {
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 10, 1, 2, 3};
        assertThat(Cidr.parse("10.0.0.0/8").contains(Inet6Address.getByAddress(null, mapped, -1))).isTrue();
    }

    @Test
    void badNetworksAreRefusedClearly() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/8x")).hasMessage("not a prefix length: \"8x\" in \"10.0.0.0/8x\"");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/")).hasMessage("not a prefix length: \"\" in \"10.0.0.0/\"");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/-1")).hasMessage("not a prefix length: \"-1\" in \"10.0.0.0/-1\"");
        assertThatThrownBy(() -> Cidr.parse("10.0.0/8")).hasMessage("not an IPv4 address: \"10.0.0\"");
        assertThatThrownBy(() -> Cidr.parse("::1/129")).hasMessage("prefix length 129 out of range 0-128 in \"::1/129\"");
        assertThatThrownBy(() -> Cidr.parse("fe80::1%eth0")).hasMessage("not an IPv6 address: \"fe80::1%eth0\"");
        assertThatThrownBy(() -> Cidr.parse("[::1")).hasMessage("missing ] in \"[::1\"");
        assertThatThrownBy(() -> Cidr.parse("")).isInstanceOf(ConfigException.class);
    }
}
