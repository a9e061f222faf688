package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed and hostile MAIL FROM arguments: each gets its exact refusal, nothing is queued. */
class AddressAbuseTest {
    @TempDir
    static Path dir;
    static HostileServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HostileServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "FROM:<a@example.org|501 5.1.7 bad sender address syntax",
        "FROM:a@example.org SIZE=1|501 5.1.7 bad sender address syntax",
        "FROM:<<a@example.org>>|501 5.1.7 bad sender address syntax",
        "FROM:<a..b@example.org>|501 5.1.7 bad sender address syntax",
        "FROM:<.a@example.org>|501 5.1.7 bad sender address syntax",
        "FROM:<a@-example.org>|501 5.1.7 bad sender address syntax",
        "FROM:<a@example..org>|501 5.1.7 bad sender address syntax",
        "FROM:<a b@example.org>|501 5.1.7 bad sender address syntax",
        "FROM:<a@exa_mple.org>|501 5.1.7 bad sender address syntax",
        "FROM:<@a.example,b.example:c@d.example>|501 5.1.7 bad sender address syntax",
        "FROM:<@a.example:>|501 5.1.7 bad sender address syntax",
        "FROM:<\"unterminated@example.org>|501 5.1.7 bad sender address syntax",
        "FROM:<a@[1.2.3]>|501 5.1.7 bad sender address syntax",
        "FROM:<a@[IPv6:1:2:3]>|501 5.1.7 bad sender address syntax",
        "FROM:<a@[tag:whatever]>|501 5.1.7 bad sender address syntax",
        "FROM:<local>|501 5.1.7 bad sender address syntax",
        "TO:<a@example.org>|501 5.5.4 syntax: MAIL FROM:<address>",
        "FROM<a@example.org>|501 5.5.4 syntax: MAIL FROM:<address>",
        "FROM:<a@example.org> SIZE=|501 5.5.4 malformed parameter",
        "FROM:<a@example.org> SIZE=abc|501 5.5.4 bad SIZE parameter",
        "FROM:<a@example.org> BODY=9BIT|501 5.5.4 bad BODY parameter",
        "FROM:<a@example.org> SMTPUTF8=yes|501 5.5.4 SMTPUTF8 takes no value",
        "FROM:<a@example.org> AUTH=a+0|501 5.5.4 bad AUTH parameter",
        "FROM:<a@example.org> AUTH=a+0d|501 5.5.4 bad AUTH parameter",
        "FROM:<a@example.org> BODY=7BIT BODY=8BITMIME|501 5.5.4 parameter given twice with different values",
        "FROM:<a@example.org> NOTIFY=NEVER|555 5.5.4 unsupported parameter",
        "FROM:<a@example.org> X-EVIL=1|555 5.5.4 unsupported parameter",
        "FROM:<a@example.org>SIZE=1|501 5.5.4 malformed parameter",
        "FROM:<j\u00f6rg@example.org>|553 5.6.7 non-ASCII address needs SMTPUTF8 (RFC 6531)",
        "FROM:<a@b\u00fccher.example>|553 5.6.7 non-ASCII address needs SMTPUTF8 (RFC 6531)",
        "FROM:<a@example.org> SIZE=99999999999999999999999999|552 5.3.4 sorry, that message size exceeds my databytes limit",
        "FROM:<a@example.org> SIZE=100001|552 5.3.4 sorry, that message size exceeds my databytes limit",
        // an xtext-encoded CR LF is only text; the line itself holds none
        "FROM:<a@example.org> AUTH=x+0D+0ARCPT|250 2.1.0 ok",
        "FROM:<a@example.org> SIZE=100000|250 2.1.0 ok",
        "`FROM:<\"a@b%c!d\"@example.org>`|250 2.1.0 ok",
        "FROM:<>|250 2.1.0 ok",
    })
    void senders(String arg, String expected) throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO addresses.example", "250");
            c.expect("MAIL " + arg, expected);
            c.expect("RSET", "250 2.0.0 flushed");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "TO:<>|501 5.1.3 null recipient not allowed",
        "TO:<b@localhost> NOTIFY=NEVER|555 5.5.4 unsupported parameter",
        "TO:<b@localhost> ORCPT=rfc822;b+40localhost|555 5.5.4 unsupported parameter",
        "TO:<xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx@localhost>|501 5.1.3 recipient local part too long",
        "TO:<b@\u00e9xample.test>|553 5.6.7 non-ASCII address needs SMTPUTF8 (RFC 6531)",
        "FROM:<b@localhost>|501 5.5.4 syntax: RCPT TO:<address>",
    })
    void recipients(String arg, String expected) throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO addresses.example", "250");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT " + arg, expected);
            c.expect("DATA", "503 5.5.1 RCPT first");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }
}
