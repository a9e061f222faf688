package dev.qflux.config;

import static dev.qflux.config.ConfDir.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpRulesTest {
    @TempDir
    Path tmp;

    private TcpRules rules(String text) throws ConfigException {
        return TcpRulesParser.parse(new ConfDir(tmp).entries("tcp.smtp", text));
    }

    private static String tag(TcpRules rules, String client) {
        AccessRule rule = rules.match(ip(client));
        return rule.allow() ? rule.env().getOrDefault("R", "none") : "deny";
    }

    @Test
    void exactBeatsPrefixAndLongerPrefixBeatsShorter() throws Exception {
        TcpRules r = rules("""
                :allow,R=default
                10.:allow,R=one
                10.1.:allow,R=two
                10.1.2.:allow,R=three
                10.1.2.3:allow,R=exact
                """);
        assertThat(tag(r, "10.1.2.3")).isEqualTo("exact");
        assertThat(tag(r, "10.1.2.4")).isEqualTo("three");
        assertThat(tag(r, "10.1.3.4")).isEqualTo("two");
        assertThat(tag(r, "10.2.3.4")).isEqualTo("one");
        assertThat(tag(r, "11.1.2.3")).isEqualTo("default");
        assertThat(tag(r, "::1")).isEqualTo("default");
    }

    @Test
    void noRuleMatchedAllowsWithEmptyEnv() throws Exception {
        TcpRules r = rules("10.:deny\n");
        assertThat(r.match(ip("192.0.2.1"))).isEqualTo(AccessRule.ALLOW_ALL);
        assertThat(r.match(ip("10.0.0.1")).allow()).isFalse();
    }

    @Test
    void emptyRuleCatchesTheRest() throws Exception {
        TcpRules r = rules("127.:allow,RELAYCLIENT=\"\"\n:deny\n");
        assertThat(r.match(ip("127.0.0.1")).relayClient()).isEmpty();
        assertThat(r.match(ip("127.0.0.1")).allow()).isTrue();
        assertThat(r.match(ip("192.0.2.1")).allow()).isFalse();
        assertThat(r.match(ip("192.0.2.1")).relayClient()).isNull();
    }

    @Test
    void firstLineWinsForTheSameAddress() throws Exception {
        TcpRules r = rules("1.2.3.4:allow,R=first\n1.2.3.1-9:allow,R=range\n:deny\n:allow\n");
        assertThat(tag(r, "1.2.3.4")).isEqualTo("first");
        assertThat(tag(r, "1.2.3.5")).isEqualTo("range");
        assertThat(tag(r, "9.9.9.9")).isEqualTo("deny");
    }

    @Test
    void rangesExpandAtTheirOctet() throws Exception {
        TcpRules r = rules("1.2.3.40-60:allow,R=last\n10.2-3.:allow,R=second\n172.16-31.:deny\n");
        assertThat(tag(r, "1.2.3.40")).isEqualTo("last");
        assertThat(tag(r, "1.2.3.60")).isEqualTo("last");
        assertThat(tag(r, "1.2.3.39")).isEqualTo("none");
        assertThat(tag(r, "1.2.3.61")).isEqualTo("none");
        assertThat(tag(r, "10.2.9.9")).isEqualTo("second");
        assertThat(tag(r, "10.3.0.0")).isEqualTo("second");
        assertThat(tag(r, "10.4.0.0")).isEqualTo("none");
        assertThat(tag(r, "172.20.1.1")).isEqualTo("deny");
        assertThat(tag(r, "172.32.1.1")).isEqualTo("none");
    }

    @Test
    void highOctetsStayApart() throws Exception {
        // Addresses with the top bit set must not collide with prefixes when keyed as numbers.
        TcpRules r = rules("200.:allow,R=a\n200.1.1.1:allow,R=b\n255.255.255.255:deny\n");
        assertThat(tag(r, "200.1.1.1")).isEqualTo("b");
        assertThat(tag(r, "200.1.1.2")).isEqualTo("a");
        assertThat(tag(r, "255.255.255.255")).isEqualTo("deny");
        assertThat(tag(r, "255.255.255.254")).isEqualTo("none");
    }

    @Test
    void environmentIsParsedWithQuotesAndCommas() throws Exception {
        TcpRules r = rules("""
                1.1.1.1:allow,RELAYCLIENT=""
                1.1.1.2:allow,RELAYCLIENT="@fix.me",GREETING="hello, world",EMPTY=,PLAIN=a=b
                1.1.1.3:deny,REASON="no, thanks"
                """);
        assertThat(r.match(ip("1.1.1.1")).env()).containsExactly(Map.entry("RELAYCLIENT", ""));
        assertThat(r.match(ip("1.1.1.2")).env()).containsExactly(
                Map.entry("RELAYCLIENT", "@fix.me"), Map.entry("GREETING", "hello, world"),
                Map.entry("EMPTY", ""), Map.entry("PLAIN", "a=b"));
        assertThat(r.match(ip("1.1.1.2")).relayClient()).isEqualTo("@fix.me");
        assertThat(r.match(ip("1.1.1.3")).allow()).isFalse();
        assertThat(r.match(ip("1.1.1.3")).env()).containsEntry("REASON", "no, thanks");
    }

    @Test
    void ipv6ExactAndNetworksLongestFirst() throws Exception {
        TcpRules r = rules("""
                [2001:db8::/32]:allow,R=wide
                [2001:db8:1::/48]:allow,R=narrow
                [2001:DB8:1::25]:allow,R=exact
                [::1]:allow,R=loopback
                :allow,R=default
                """);
        assertThat(tag(r, "2001:db8:1::25")).isEqualTo("exact");
        assertThat(tag(r, "2001:db8:1::26")).isEqualTo("narrow");
        assertThat(tag(r, "2001:db8:2::1")).isEqualTo("wide");
        assertThat(tag(r, "2001:db9::1")).isEqualTo("default");
        assertThat(tag(r, "::1")).isEqualTo("loopback");
        assertThat(tag(r, "127.0.0.1")).isEqualTo("default");
    }

    @Test
    void ipv4MappedClientsAreMatchedAsIpv4() throws Exception {
        TcpRules r = rules("127.:allow,R=v4\n[::/0]:allow,R=v6\n");
        byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        InetAddress client = Inet6Address.getByAddress(null, mapped, -1);
        assertThat(client).isInstanceOf(Inet6Address.class);
        assertThat(r.match(client).env()).containsEntry("R", "v4");
        assertThat(tag(r, "::2")).isEqualTo("v6");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "=mail.example.com:allow|hostname rules (\"=mail.example.com\") are not supported: qflux does not look up"
            + " client names; write the IP address or a prefix such as 10.1.",
        "=:deny|hostname rules (\"=\") are not supported: qflux does not look up client names; write the IP"
            + " address or a prefix such as 10.1.",
        "joe@127.0.0.1:allow|user@address rules (\"joe@127.0.0.1\") are not supported: qflux makes no ident"
            + " (TCPREMOTEINFO) lookups",
        "127.0.0.1|expected address:instructions such as 127.:allow, got \"127.0.0.1\"",
        "127.:permit|instructions start with allow or deny, not \"permit\"",
        "127.:allow,|empty instruction after ','",
        "127.:allow,RELAYCLIENT|expected NAME=value, got \"RELAYCLIENT\"",
        "127.:allow,1X=a|not an environment variable name: \"1X\"",
        "127.:allow,X=\"open|missing closing quote in the value of X",
        "127.:allow,X=\"a\"b|expected ',' after the quoted value of X",
        "127.:allow,X=/a/,X=b|X is set twice",
        "127.:allow,X=a\"b|stray quote in the value of X: \"a\"b\"",
        "10.1.2:allow|incomplete IPv4 address \"10.1.2\": a prefix must end with a dot, such as 10.1.",
        "10.1.2.3.:allow|a prefix has 1 to 3 octets before its final dot: \"10.1.2.3.\"",
        "10.0.0.0/8:allow|IPv4 networks are written as prefixes ending in a dot (10.1.) or ranges (10.1.2.0-127),"
            + " not CIDR: \"10.0.0.0/8\"",
        "10.256.:allow|octet above 255 in IPv4 address: \"10.256.\"",
        "10.01.:allow|leading zero in IPv4 address: \"10.01.\"",
        "1.2.3.9-4:allow|range runs backwards (9-4): \"1.2.3.9-4\"",
        "1.2-3.4-5.6:allow|only one octet may be a range: \"1.2-3.4-5.6\"",
        "::1:allow|IPv6 addresses go in brackets, such as [2001:db8::1]:allow",
        "[::1:allow|missing ] after IPv6 address: \"[::1:allow\"",
        "[127.0.0.1]:allow|brackets hold IPv6 addresses; write IPv4 as 1.2.3.4 or 10.1.: \"[127.0.0.1]\"",
        "[::ffff:10.0.0.1]:allow|IPv4-mapped address \"::ffff:10.0.0.1\": write it as IPv4 (10.0.0.1); such"
            + " clients are matched as IPv4",
        "[2001:db8::1/32]:allow|host bits set in \"2001:db8::1/32\"; did you mean 2001:db8::/32?",
        "[2001:db8::/129]:allow|prefix length 129 out of range 0-128 in \"2001:db8::/129\"",
        "[2001:db8::g]:allow|not an IPv6 address: \"2001:db8::g\"",
    })
    void badLinesNameFileAndLine(String line, String error) {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> TcpRulesParser.parse(conf.entries("tcp.smtp", "# rules\n\n" + line + "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("tcp.smtp") + ":3: " + error);
    }

    @Test
    void loaderReportsTcpSmtpErrorsWithItsPath() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp);
        conf.write(conf.dir.resolve("tcp.smtp"), "127.:allow\n=host.example:deny\n".getBytes());
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(conf.dir.resolve("tcp.smtp") + ":2: hostname rules");
    }
}
