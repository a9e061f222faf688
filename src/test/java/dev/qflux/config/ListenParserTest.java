package dev.qflux.config;

import static dev.qflux.config.ConfDir.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Inet6Address;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenParserTest {
    @TempDir
    Path tmp;

    private List<ListenSpec> listen(String text) throws ConfigException {
        return ListenParser.parse(new ConfDir(tmp).entries("listen", text));
    }

    @Test
    void parsesAddressesProtocolsAndOptions() throws Exception {
        List<ListenSpec> specs = listen("""
                # public SMTP
                *:25 smtp
                192.0.2.10:465\tsmtps  tls=yes
                [::1]:110 POP3
                [2001:db8::5]:995 pop3s proxy=10.0.0.0/8,2001:db8::/32,192.0.2.1 name=value=x
                """);
        assertThat(specs).hasSize(4);
        assertThat(specs.get(0).address().getAddress().getHostAddress()).isEqualTo("0.0.0.0");
        assertThat(specs.get(0).address().getPort()).isEqualTo(25);
        assertThat(specs.get(0).options()).isEmpty();
        assertThat(specs.get(1).address().getAddress()).isEqualTo(ip("192.0.2.10"));
        assertThat(specs.get(1).protocol()).isEqualTo("smtps");
        assertThat(specs.get(1).options()).containsExactly(Map.entry("tls", "yes"));
        assertThat(specs.get(2).address().getAddress()).isInstanceOf(Inet6Address.class).isEqualTo(ip("::1"));
        assertThat(specs.get(2).protocol()).isEqualTo("pop3");
        ListenSpec proxied = specs.get(3);
        assertThat(proxied.address().getPort()).isEqualTo(995);
        assertThat(proxied.proxyEnabled()).isTrue();
        assertThat(proxied.proxyFrom()).extracting(Object::toString)
                .containsExactly("10.0.0.0/8", "2001:db8::/32", "192.0.2.1/32");
        assertThat(proxied.proxyTrusted(ip("10.200.0.1"))).isTrue();
        assertThat(proxied.proxyTrusted(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(proxied.proxyTrusted(ip("192.0.2.1"))).isTrue();
        assertThat(proxied.proxyTrusted(ip("192.0.2.2"))).isFalse();
        assertThat(proxied.proxyTrusted(ip("11.0.0.1"))).isFalse();
        assertThat(proxied.options()).containsExactly(Map.entry("name", "value=x"));
        assertThat(specs.get(0).proxyEnabled()).isFalse();
    }

    @Test
    void portZeroMayRepeat() throws Exception {
        assertThat(listen("127.0.0.1:0 smtp\n127.0.0.1:0 pop3\n")).hasSize(2);
    }

    @Test
    void sameAddressOnAnotherPortIsFine() throws Exception {
        assertThat(listen("0.0.0.0:25 smtp\n0.0.0.0:587 smtp\n[::]:25 smtp\n")).hasSize(3);
    }

    @Test
    void emptyFileListensNowhere() throws Exception {
        assertThat(listen("# no listeners: delivery only\n")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "127.0.0.1:25 ftp|unknown protocol \"ftp\"; expected smtp, smtps, pop3 or pop3s",
        "127.0.0.1:25|expected ADDRESS:PORT PROTOCOL such as 0.0.0.0:25 smtp, got \"127.0.0.1:25\"",
        "127.0.0.1 smtp|expected ADDRESS:PORT such as 0.0.0.0:25 or [::]:25, got \"127.0.0.1\"",
        "127.0.0.1:65536 smtp|port above 65535 in \"127.0.0.1:65536\"",
        "127.0.0.1:smtp smtp|not a port number in \"127.0.0.1:smtp\"",
        "mail.example.com:25 smtp|listen takes IP addresses, not host names: \"mail.example.com:25\"",
        "::1:25 smtp|an IPv6 address goes in brackets, such as [::1]:25: \"::1:25\"",
        "[::1:25 smtp|missing ] after the IPv6 address in \"[::1:25\"",
        "127.0.0.256:25 smtp|octet above 255 in IPv4 address: \"127.0.0.256\"",
        "127.0.0.1:25 smtp proxy=|proxy= needs the networks of the load balancers, such as proxy=10.0.0.0/8",
        "127.0.0.1:25 smtp proxy=10.0.0.0/8,|empty network in proxy=10.0.0.0/8,",
        "127.0.0.1:25 smtp proxy=10.1.2.3/8|host bits set in \"10.1.2.3/8\"; did you mean 10.0.0.0/8?",
        "127.0.0.1:25 smtp proxy=10.0.0.0/33|prefix length 33 out of range 0-32 in \"10.0.0.0/33\"",
        "127.0.0.1:25 smtp proxy=lb.example|not an IPv4 address: \"lb.example\"",
        "127.0.0.1:25 smtp proxy=::1 proxy=::2|option proxy given twice",
        "127.0.0.1:25 smtp tls=a tls=b|option tls given twice",
        "127.0.0.1:25 smtp tls|expected an option name=value, got \"tls\"",
    })
    void badLinesNameFileAndLine(String line, String error) {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> ListenParser.parse(conf.entries("listen", "# listeners\n" + line + "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("listen") + ":2: " + error);
    }

    @Test
    void duplicatesAndOverlapsAreRefused() {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> ListenParser.parse(conf.entries("listen", "127.0.0.1:25 smtp\n\n127.0.0.1:25 pop3\n")))
                .hasMessage(conf.control("listen") + ":3: duplicate listener 127.0.0.1:25, also on line 1");
        assertThatThrownBy(() -> ListenParser.parse(conf.entries("listen", "[::1]:25 smtp\n[0:0::1]:25 smtp\n")))
                .hasMessage(conf.control("listen") + ":2: duplicate listener [::1]:25, also on line 1");
        assertThatThrownBy(() -> ListenParser.parse(conf.entries("listen", "*:25 smtp\n192.0.2.1:25 smtp\n")))
                .hasMessage(conf.control("listen") + ":2: 192.0.2.1:25 overlaps 0.0.0.0:25 (every address) on line 1");
        assertThatThrownBy(() -> ListenParser.parse(conf.entries("listen", "0.0.0.0:25 smtp\n*:25 smtp\n")))
                .hasMessage(conf.control("listen") + ":2: duplicate listener 0.0.0.0:25, also on line 1");
    }
}
