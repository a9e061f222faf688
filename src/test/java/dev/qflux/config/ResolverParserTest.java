package dev.qflux.config;

import static dev.qflux.config.ConfDir.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResolverParserTest {
    @TempDir
    Path tmp;

    @Test
    void everyFormInFileOrderWithPort53ByDefault() throws Exception {
        assertThat(ResolverParser.parse(new ConfDir(tmp).entries("resolver",
                "# ours first\n192.0.2.53\n192.0.2.54:5353\n[2001:db8::53]\n[2001:db8::54]:54\n2001:db8::55\n")))
                .containsExactly(
                        new InetSocketAddress(ip("192.0.2.53"), 53),
                        new InetSocketAddress(ip("192.0.2.54"), 5353),
                        new InetSocketAddress(ip("2001:db8::53"), 53),
                        new InetSocketAddress(ip("2001:db8::54"), 54),
                        new InetSocketAddress(ip("2001:db8::55"), 53));
    }

    @Test
    void emptyFileMeansTheSystemResolvers() throws Exception {
        assertThat(ResolverParser.parse(new ConfDir(tmp).entries("resolver", "# system\n"))).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "localhost|resolver takes IP addresses, not host names: \"localhost\"",
        "192.0.2.1:0|port must be 1-65535 in \"192.0.2.1:0\"",
        "192.0.2.1:x|not a port number in \"192.0.2.1:x\"",
        "192.0.2|not an IPv4 address: \"192.0.2\"",
        "[2001:db8::1|missing ] after the IPv6 address in \"[2001:db8::1\"",
        "[2001:db8::1]53|expected :port after ] in \"[2001:db8::1]53\"",
        "2001:db8::zz|not an IPv6 address: \"2001:db8::zz\"",
    })
    void badLinesNameTheirLine(String line, String error) {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> ResolverParser.parse(conf.entries("resolver", "192.0.2.2\n" + line + "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("resolver") + ":2: " + error);
    }
}
