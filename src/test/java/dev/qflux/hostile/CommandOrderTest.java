package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.smtp.server.LimitCounters.Limit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Commands out of sequence, nested, mixed DATA and BDAT: each refused, the session goes on. */
class CommandOrderTest {
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

    @Test
    void everythingBeforeItsTime() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("RCPT TO:<b@localhost>", "503 5.5.1 MAIL first");
            c.expect("DATA", "503 5.5.1 MAIL first");
            c.raw("BDAT 5 LAST\r\nhello");
            assertThat(c.reply()).isEqualTo("503 5.5.1 MAIL first");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok"); // qmail-smtpd needs no HELO either
            c.expect("MAIL FROM:<a@example.org>", "503 5.5.1 nested MAIL command");
            c.expect("DATA", "503 5.5.1 RCPT first");
            c.raw("BDAT 3\r\nabc");
            assertThat(c.reply()).isEqualTo("503 5.5.1 RCPT first");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            c.expect("BDAT", "501 5.5.4 syntax: BDAT <size> [LAST]");
            c.expect("BDAT -1", "501 5.5.4 syntax: BDAT <size> [LAST]");
            c.expect("BDAT 1 NOTLAST", "501 5.5.4 syntax: BDAT <size> [LAST]");
            c.raw("BDAT 4\r\nab\r\n");
            assertThat(c.reply()).isEqualTo("250 2.0.0 4 octets received");
            c.expect("DATA", "503 5.5.1 DATA is not allowed after BDAT");
            c.expect("MAIL FROM:<a@example.org>", "503 5.5.1 nested MAIL command");
            c.expect("RSET", "250 2.0.0 flushed");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void heloResetsAndUnknownVerbsAreRefused() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("HELO", "501 5.5.4 HELO and EHLO need a domain or address");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            c.expect("EHLO again.example", "250");
            c.expect("DATA", "503 5.5.1 MAIL first"); // EHLO ended the transaction
            c.expect("EXPN postmaster", "502 5.5.1 unimplemented");
            c.expect("TURN", "500 5.5.1 unrecognized command");
            c.expect("GET / HTTP/1.0", "500 5.5.1 unrecognized command");
            c.expect("", "500 5.5.1 unrecognized command");
            c.expect("PROXY TCP4 1.2.3.4 5.6.7.8 1 2", "500 5.5.1 unrecognized command");
            c.expect("VRFY root", "252 2.5.2 send some mail, i'll try my best");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void dataAfterAFailedBdatAndBdatAfterDataAreSeparateTransactions() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            FramingTest.toData(c);
            assertThat(c.command("Subject: one\r\n\r\none\r\n.")).startsWith("250 2.0.0 ok ");
            c.raw("BDAT 3 LAST\r\nabc");
            assertThat(c.reply()).isEqualTo("503 5.5.1 MAIL first");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            c.raw("BDAT 6 LAST\r\nab\r\n\r\n");
            assertThat(c.reply()).startsWith("250 2.0.0 ok ");
        }
        assertThat(server.queued()).hasSize(before + 2);
        server.stillServes();
    }

    @Test
    void manyErrorsEndTheSession() throws Exception {
        long hits = server.hits(Limit.MAX_ERRORS);
        try (Wire c = server.connect(STRANGER)) {
            for (int i = 1; i < 20; i++) {
                c.expect("RCPT TO:<b@localhost>", "503 5.5.1 MAIL first");
            }
            c.expect("RCPT TO:<b@localhost>", "421 4.7.0 too many errors, closing connection");
            assertThat(c.closed()).isTrue();
        }
        assertThat(server.hits(Limit.MAX_ERRORS)).isEqualTo(hits + 1);
        server.stillServes();
    }
}
