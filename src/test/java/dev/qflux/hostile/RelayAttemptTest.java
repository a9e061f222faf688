package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Relay attempts from a stranger (no RELAYCLIENT) in every shape qmail, sendmail and friends ever
 * honoured. Each is refused at RCPT, or accepted only where it stays on this host: after the
 * message is queued, no recipient routes off the host (design invariant 8). rcpthosts and locals
 * are localhost, example.test and mx.example.test; percenthack is example.test.
 */
class RelayAttemptTest {
    private static final String NOT_RCPTHOST =
            "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts";

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
    @CsvSource(delimiter = '|', value = {
        "victim@elsewhere.example|" + NOT_RCPTHOST,
        "victim@elsewhere.example.|501 5.1.3 bad recipient address syntax",
        "victim@ELSEWHERE.example|" + NOT_RCPTHOST,
        // percenthack: user%host@example.test becomes user@host, which must be a rcpthost too
        "victim%elsewhere.example@example.test|" + NOT_RCPTHOST,
        "victim%elsewhere.example%localhost@example.test|250 2.1.5 ok",
        "victim%localhost@example.test|250 2.1.5 ok",
        // no percenthack for localhost: the whole local part is a local user
        "victim%elsewhere.example@localhost|250 2.1.5 ok",
        // source routes are dropped (RFC 5321 4.1.2); what is left decides
        "@localhost:victim@elsewhere.example|" + NOT_RCPTHOST,
        "@elsewhere.example,@localhost:victim@elsewhere.example|" + NOT_RCPTHOST,
        "@elsewhere.example:victim@localhost|250 2.1.5 ok",
        // quoted local parts and bang paths are local users here, never routes
        "\"victim@elsewhere.example\"@localhost|250 2.1.5 ok",
        "\"victim%elsewhere.example\"@example.test|" + NOT_RCPTHOST,
        "elsewhere.example!victim@localhost|250 2.1.5 ok",
        "victim@elsewhere.example@localhost|501 5.1.3 bad recipient address syntax",
        // address literals: only our own address, taken as localiphost (me)
        "victim@[192.0.2.1]|" + NOT_RCPTHOST,
        "victim@[IPv6:2001:db8::1]|" + NOT_RCPTHOST,
        "victim@[127.0.0.1]|" + NOT_RCPTHOST,
        "victim@[127.0.0.1].|501 5.1.3 bad recipient address syntax",
        "victim@[300.0.0.1]|501 5.1.3 bad recipient address syntax",
        "victim|501 5.1.3 bad recipient address syntax",
        "postmaster|250 2.1.5 ok",
        "victim@localhost.|501 5.1.3 bad recipient address syntax",
    })
    void strangersCannotRelay(String rcpt, String expected) throws Exception {
        int before = server.queued().size();
        boolean accepted = expected.startsWith("250");
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO relay.example", "250");
            c.expect("MAIL FROM:<spammer@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<" + rcpt + ">", expected);
            if (accepted) {
                c.expect("DATA", "354 go ahead, end with <CRLF>.<CRLF>");
                assertThat(c.command("Subject: relay?\r\n\r\nx\r\n.")).startsWith("250 2.0.0 ok ");
            } else {
                c.expect("DATA", "503 5.5.1 RCPT first");
            }
        }
        assertThat(server.queued()).hasSize(before + (accepted ? 1 : 0));
        assertThat(server.nothingRelayed()).as("a queued recipient would leave this host: %s",
                server.queuedRecipients()).isTrue();
        server.stillServes();
    }
}
