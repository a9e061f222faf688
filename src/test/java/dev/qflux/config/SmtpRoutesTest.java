package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpRoutesTest {
    @TempDir
    Path tmp;

    private SmtpRoutes routes(String content) throws ConfigException {
        return SmtpRoutes.parse(new ConfDir(tmp).entries("smtproutes", content));
    }

    private static SmtpRoutes.Relay relay(String host, int port) {
        return new SmtpRoutes.Relay(host, port);
    }

    @Test
    void exactThenLongestSuffixThenDefault() throws Exception {
        SmtpRoutes r = routes("""
                :smarthost.example.net
                .example.com:wild.example.net:2525
                .b.example.com:deeper.example.net
                a.b.example.com:exact.example.net
                """);
        assertThat(r.relayFor("a.b.example.com")).contains(relay("exact.example.net", 25));
        assertThat(r.relayFor("x.a.b.example.com")).contains(relay("deeper.example.net", 25));
        assertThat(r.relayFor("c.b.example.com")).contains(relay("deeper.example.net", 25));
        assertThat(r.relayFor("z.example.com")).contains(relay("wild.example.net", 2525));
        assertThat(r.relayFor("example.com")).contains(relay("smarthost.example.net", 25)); // .x is not x
        assertThat(r.relayFor("example.org")).contains(relay("smarthost.example.net", 25));
        assertThat(r.relayFor("A.B.Example.COM")).contains(relay("exact.example.net", 25));
    }

    @Test
    void emptyRelayMeansMxAndBeatsWildcardsAndTheSmarthost() throws Exception {
        SmtpRoutes r = routes(":smarthost.example.net\n.example.com:wild.example.net\nmx.example.com:\n");
        assertThat(r.relayFor("mx.example.com")).isEmpty();
        assertThat(r.relayFor("sub.mx.example.com")).contains(relay("wild.example.net", 25));
    }

    @Test
    void noEntriesMeansMxForEveryDomain() throws Exception {
        assertThat(routes("# nothing\n").relayFor("example.com")).isEmpty();
        assertThat(SmtpRoutes.NONE.relayFor("example.com")).isEmpty();
    }

    @Test
    void addressLiteralRelaysAreKeptWithoutBrackets() throws Exception {
        SmtpRoutes r = routes("a.example:[192.0.2.25]\nb.example:[2001:DB8::25]:587\nc.example:[IPv6:2001:db8::26]\n");
        assertThat(r.relayFor("a.example")).contains(relay("192.0.2.25", 25));
        assertThat(r.relayFor("b.example")).contains(relay("2001:db8::25", 587));
        assertThat(r.relayFor("c.example")).contains(relay("2001:db8::26", 25));
    }

    @Test
    void relayNamesAreLowercasedAndBlanksAroundPartsIgnored() throws Exception {
        assertThat(routes(" Example.COM : Relay.Example.NET:26\n").relayFor("example.com"))
                .contains(relay("relay.example.net", 26));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com|expected domain:relay[:port], domain: or :relay, got \"example.com\"",
        "example.com:relay:0|port must be 1-65535 in \"relay:0\"",
        "example.com:relay:65536|port must be 1-65535 in \"relay:65536\"",
        "example.com:relay:|not a port number in \"relay:\"",
        "example.com::25|a port needs a relay host before it: \":25\"",
        "example.com:[192.0.2.1|missing ] after the address in \"[192.0.2.1\"",
        "example.com:[192.0.2.256]|octet above 255 in IPv4 address: \"192.0.2.256\"",
        "example.com:[192.0.2.1]x|expected :port after the relay in \"[192.0.2.1]x\"",
        "example.com:.relay.example|not a host name: \".relay.example\"",
        "example.com:relay example|a domain has no blanks: \"relay example\"",
        "user@example.com:relay|a domain, not an address, is expected: \"user@example.com\"",
        "ex..ample:relay|empty label in domain: \"ex..ample\"",
    })
    void badLinesNameTheirLine(String line, String error) {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> SmtpRoutes.parse(conf.entries("smtproutes", "# c\n" + line + "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("smtproutes") + ":2: " + error);
    }

    @Test
    void duplicateKeyIsAnError() {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> SmtpRoutes.parse(conf.entries("smtproutes", ":a.example\n:b.example\n")))
                .hasMessage(conf.control("smtproutes") + ":2: duplicate entry for \"\", also on line 1");
    }
}
