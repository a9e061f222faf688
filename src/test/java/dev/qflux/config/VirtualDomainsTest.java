package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VirtualDomainsTest {
    @TempDir
    Path tmp;

    private VirtualDomains parse(String content) throws ConfigException {
        return VirtualDomains.parse(new ConfDir(tmp).entries("virtualdomains", content));
    }

    @Test
    void qmailSendOrderAddressThenDomainThenLongestWildcardThenCatchAll() throws Exception {
        VirtualDomains v = parse("""
                :catchall
                .example.com:wild
                .b.example.com:deeper
                a.b.example.com:exact
                boss@a.b.example.com:bossbox
                """);
        assertThat(v.prependFor("boss@a.b.example.com")).contains("bossbox");
        assertThat(v.prependFor("joe@a.b.example.com")).contains("exact");
        assertThat(v.prependFor("joe@x.a.b.example.com")).contains("deeper");
        assertThat(v.prependFor("joe@c.example.com")).contains("wild");
        assertThat(v.prependFor("joe@example.com")).contains("catchall"); // .example.com is not example.com
        assertThat(v.prependFor("joe@example.org")).contains("catchall");
    }

    @Test
    void keysCompareWithoutCaseAndPrependsKeepTheirs() throws Exception {
        VirtualDomains v = parse("Boss@Example.COM:BossBox\nEXAMPLE.net:Net\n");
        assertThat(v.prependFor("BOSS@example.com")).contains("BossBox");
        assertThat(v.prependFor("joe@Example.Net")).contains("Net");
    }

    @Test
    void emptyPrependIsAnExceptionThatStopsTheSearch() throws Exception {
        VirtualDomains v = parse(":catchall\n.example.com:wild\nmx.example.com:\nnobody@example.org:\nexample.org:org\n");
        assertThat(v.prependFor("joe@mx.example.com")).isEmpty();
        assertThat(v.prependFor("joe@sub.mx.example.com")).contains("wild");
        assertThat(v.prependFor("nobody@example.org")).isEmpty();
        assertThat(v.prependFor("somebody@example.org")).contains("org");
    }

    @Test
    void noEntriesMatchNothing() throws Exception {
        assertThat(parse("# none\n").prependFor("joe@example.com")).isEmpty();
        assertThat(VirtualDomains.NONE.prependFor("joe@example.com")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "example.com|expected domain:prepend, user@domain:prepend or :prepend, got \"example.com\"",
        "example.com:a b|a prepend is a local part, without blanks, '@' or ':': \"a b\"",
        "example.com:a@b|a prepend is a local part, without blanks, '@' or ':': \"a@b\"",
        "example.com:a:b|a prepend is a local part, without blanks, '@' or ':': \"a:b\"",
        "@example.com:x|not an address: \"@example.com\"",
        "joe@.example.com:x|an address entry names one domain, not .wildcards: \"joe@.example.com\"",
        "ex..ample:x|empty label in domain: \"ex..ample\"",
        "a b.example:x|a domain has no blanks: \"a b.example\"",
    })
    void badLinesNameTheirLine(String line, String error) {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(() -> VirtualDomains.parse(conf.entries("virtualdomains", "\n" + line + "\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("virtualdomains") + ":2: " + error);
    }
}
