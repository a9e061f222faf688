package dev.qflux.pop3;

import static dev.qflux.pop3.Pop3Fixture.PASSWORD;
import static dev.qflux.pop3.Pop3Fixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RFC 1939 sessions against the in-JVM server, byte for byte. */
class Pop3SessionTest {
    @TempDir
    Path dir;
    Pop3Fixture pop;

    @BeforeEach
    void start() throws Exception {
        pop = Pop3Fixture.start(dir);
    }

    @AfterEach
    void stop() {
        pop.close();
    }

    /** A message as a Maildir writer leaves it: LF line ends, in new/, mtime fixing its order. */
    private void deliver(String name, String text, long mtimeSeconds) throws Exception {
        Path f = pop.maildir.resolve("new").resolve(name);
        Files.writeString(f, text, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(mtimeSeconds)));
    }

    private RawPop3Client login() throws Exception {
        RawPop3Client c = new RawPop3Client(pop.plain());
        assertThat(c.line()).isEqualTo("+OK qflux POP3 server ready");
        assertThat(c.send("USER " + USER)).isEqualTo("+OK send PASS");
        assertThat(c.send("PASS " + PASSWORD)).startsWith("+OK ");
        return c;
    }

    @Test
    void retrieveSendsCrlfLinesByteStuffedWithExactOctetCounts() throws Exception {
        String first = "Subject: one\n\n.dot line\nplain\n..two\n.\nno final newline";
        deliver("1000.A.host", first, 1000);
        deliver("2000.B.host:2,S", "Subject: two\n\nbody\n", 2000);
        String wire1 = "Subject: one\r\n\r\n.dot line\r\nplain\r\n..two\r\n.\r\nno final newline\r\n";
        int size2 = "Subject: two\r\n\r\nbody\r\n".length();
        try (RawPop3Client c = login()) {
            assertThat(c.send("STAT")).isEqualTo("+OK 2 " + (wire1.length() + size2));
            assertThat(c.send("LIST")).isEqualTo("+OK 2 messages (" + (wire1.length() + size2) + " octets)");
            assertThat(c.lines()).containsExactly("1 " + wire1.length(), "2 " + size2);
            assertThat(c.send("UIDL")).startsWith("+OK");
            assertThat(c.lines()).containsExactly("1 1000.A.host", "2 2000.B.host");
            assertThat(c.send("UIDL 2")).isEqualTo("+OK 2 2000.B.host");
            assertThat(c.send("RETR 1")).isEqualTo("+OK " + wire1.length() + " octets");
            assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo(
                    "Subject: one\r\n\r\n..dot line\r\nplain\r\n...two\r\n..\r\nno final newline\r\n.\r\n");
            assertThat(c.send("TOP 1 1")).isEqualTo("+OK top of message follows");
            assertThat(new String(c.body(), StandardCharsets.UTF_8))
                    .isEqualTo("Subject: one\r\n\r\n..dot line\r\n.\r\n");
            assertThat(c.send("TOP 2 0")).startsWith("+OK");
            assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo("Subject: two\r\n\r\n.\r\n");
            assertThat(c.send("TOP 2 x")).isEqualTo("-ERR syntax: TOP message lines");
            assertThat(c.send("RETR 3")).isEqualTo("-ERR no such message");
            assertThat(c.send("DELE 1")).isEqualTo("+OK message 1 deleted");
            assertThat(c.send("RETR 1")).isEqualTo("-ERR message 1 already deleted");
            assertThat(c.send("STAT")).isEqualTo("+OK 1 " + size2);
            assertThat(c.send("RSET")).isEqualTo("+OK 2 messages (" + (wire1.length() + size2) + " octets)");
            assertThat(c.send("DELE 2")).isEqualTo("+OK message 2 deleted");
            assertThat(c.send("NOOP")).isEqualTo("+OK");
            assertThat(pop.messageFiles()).as("nothing deleted before QUIT")
                    .containsExactly("1000.A.host:2,", "2000.B.host:2,S");
            assertThat(c.send("QUIT")).isEqualTo("+OK 1 messages deleted");
            assertThat(c.closed()).isTrue();
        }
        assertThat(pop.messageFiles()).containsExactly("1000.A.host:2,");
        pop.awaitLog("pop3 logout user alice from 127.0.0.1 retrieved 1 deleted 1");
        assertThat(pop.log()).contains("pop3 login user alice from 127.0.0.1");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        deliver("1.A.host", "Subject: a\n\nx\n", 1);
        try (RawPop3Client c = new RawPop3Client(pop.plain())) {
            assertThat(c.line()).startsWith("+OK");
            c.write("USER " + USER + "\r\nPASS " + PASSWORD + "\r\nSTAT\r\nRETR 1\r\nNOOP\r\nQUIT\r\n");
            assertThat(c.line()).isEqualTo("+OK send PASS");
            assertThat(c.line()).isEqualTo("+OK 1 messages (17 octets)");
            assertThat(c.line()).isEqualTo("+OK 1 17");
            assertThat(c.line()).isEqualTo("+OK 17 octets");
            assertThat(new String(c.body(), StandardCharsets.UTF_8)).isEqualTo("Subject: a\r\n\r\nx\r\n.\r\n");
            assertThat(c.line()).isEqualTo("+OK");
            assertThat(c.line()).isEqualTo("+OK 0 messages deleted");
        }
    }

    @Test
    void largeMessageIsStreamedWhole() throws Exception {
        StringBuilder text = new StringBuilder("Subject: big\n\n");
        for (int i = 0; text.length() < 3_000_000; i++) {
            text.append(i % 7 == 0 ? "." : "").append("line ").append(i).append(" of a large message\n");
        }
        deliver("1.BIG.host", text.toString(), 1);
        String wire = text.toString().replace("\n", "\r\n");
        try (RawPop3Client c = login()) {
            assertThat(c.send("RETR 1")).isEqualTo("+OK " + wire.length() + " octets");
            String body = new String(c.body(), StandardCharsets.UTF_8);
            assertThat(body).isEqualTo(wire.replace("\r\n.", "\r\n..") + ".\r\n");
            assertThat(c.send("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void commandsInTheWrongStateAreRefused() throws Exception {
        deliver("1.A.host", "Subject: a\n\nx\n", 1);
        try (RawPop3Client c = new RawPop3Client(pop.plain())) {
            c.line();
            assertThat(c.send("STAT")).isEqualTo("-ERR authorization first");
            assertThat(c.send("RETR 1")).isEqualTo("-ERR authorization first");
            assertThat(c.send("PASS x")).isEqualTo("-ERR USER first");
            assertThat(c.send("XYZZY")).isEqualTo("-ERR unknown command");
            assertThat(c.send("APOP alice 0123456789abcdef0123456789abcdef"))
                    .isEqualTo("-ERR APOP not available");
            assertThat(c.send("USER")).isEqualTo("-ERR syntax: USER name");
            assertThat(c.send("USER " + USER)).startsWith("+OK");
            assertThat(c.send("PASS " + PASSWORD)).startsWith("+OK");
            assertThat(c.send("USER " + USER)).isEqualTo("-ERR not valid after login");
            assertThat(c.send("STLS")).isEqualTo("-ERR not valid after login");
            assertThat(c.send("CAPA")).startsWith("+OK");
            assertThat(c.lines()).doesNotContain("USER", "STLS").contains("UIDL", "TOP");
            assertThat(c.send("QUIT")).startsWith("+OK");
        }
        assertThat(pop.messageFiles()).containsExactly("1.A.host:2,");
    }

    @Test
    void overlongCommandsGetAClearErrorAndTheSessionGoesOn() throws Exception {
        try (RawPop3Client c = new RawPop3Client(pop.plain())) {
            c.line();
            assertThat(c.send("USER " + "x".repeat(300)))
                    .isEqualTo("-ERR command too long (at most 255 octets with CRLF)");
            // 253 octets + CRLF = 255: the longest line allowed
            assertThat(c.send("USER " + "y".repeat(248))).isEqualTo("+OK send PASS");
            assertThat(c.send("CAPA")).startsWith("+OK");
            assertThat(c.lines()).contains("USER", "STLS", "PIPELINING", "RESP-CODES",
                    "AUTH-RESP-CODE", "IMPLEMENTATION qflux");
        }
    }

    @Test
    void tooManyErrorsEndTheSession() throws Exception {
        try (RawPop3Client c = new RawPop3Client(pop.plain())) {
            c.line();
            for (int i = 1; i < Pop3Session.MAX_ERRORS; i++) {
                assertThat(c.send("BOGUS")).isEqualTo("-ERR unknown command");
            }
            assertThat(c.send("BOGUS")).isEqualTo("-ERR too many errors, closing connection");
            assertThat(c.closed()).isTrue();
        }
    }

    @Test
    void newMessagesMoveToCurAndKeepTheirUidlAcrossSessions() throws Exception {
        deliver("1.A.host", "Subject: a\n\nx\n", 1);
        List<String> first;
        try (RawPop3Client c = login()) {
            c.send("UIDL");
            first = c.lines();
            c.send("QUIT");
        }
        assertThat(pop.messageFiles()).containsExactly("1.A.host:2,");
        deliver("2.B.host", "Subject: b\n\ny\n", 2);
        try (RawPop3Client c = login()) {
            c.send("UIDL");
            assertThat(c.lines()).containsExactly(first.get(0), "2 2.B.host");
            c.send("QUIT");
        }
        assertThat(first).containsExactly("1 1.A.host");
    }
}
