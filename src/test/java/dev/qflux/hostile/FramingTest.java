package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.smtp.server.LimitCounters.Limit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lines that are too long, lines without their newline, NUL, bare CR and bare LF, in commands
 * and in message content.
 */
class FramingTest {
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
    void megabytesOfCommandWithoutNewlineAreDroppedThenRefused() throws Exception {
        int before = server.queued().size();
        long hits = server.hits(Limit.COMMAND_LINE_LENGTH);
        try (Wire c = server.connect(STRANGER)) {
            byte[] junk = new byte[2 * 1024 * 1024];
            Arrays.fill(junk, (byte) 'A');
            c.raw(junk);
            c.expect("", "500 5.5.2 line too long");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        assertThat(server.hits(Limit.COMMAND_LINE_LENGTH)).isEqualTo(hits + 1);
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void aCommandJustUnderTheLimitIsReadAndOneOverIsNot() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("NOOP " + "x".repeat(4096 - 7), "250 2.0.0 ok"); // 4096 with CRLF
            c.expect("NOOP " + "x".repeat(4096 - 6), "500 5.5.2 line too long");
        }
        server.stillServes();
    }

    @Test
    void nulBareCrAndBareLfInCommands() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("NO\0OP", "500 5.5.1 unrecognized command");
            c.raw("NOOP\rRSET\r\n");
            assertThat(c.reply()).isEqualTo("500 5.5.1 unrecognized command");
            c.raw("NOOP\n"); // a bare LF ends a command line, as in qmail-smtpd
            assertThat(c.reply()).isEqualTo("250 2.0.0 ok");
            c.expect("MAIL FROM:<a\0b@example.org>", "501 5.1.7 bad sender address syntax");
            c.expect("MAIL FROM:<ab@example.org> BODY=8BITMIME\0", "501 5.5.4 control character in parameters");
            c.expect("MAIL FROM:<ab@example.org> AUTH=x\rRCPT", "501 5.5.4 control character in parameters");
            c.expect("MAIL FROM:<ab@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>\rRCPT TO:<c@elsewhere.example>", "501 5.5.4 control character in parameters");
        }
        assertThat(server.nothingRelayed()).isTrue();
        server.stillServes();
    }

    @Test
    void aTextLineOverTheLimitRefusesTheMessage() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            toData(c);
            c.raw("Subject: long\r\n\r\n" + "z".repeat(999) + "\r\n");
            assertThat(c.command(".")).isEqualTo(
                    "554 5.6.0 message has a line over 998 octets (RFC 5321 4.5.3.1.6)");
            toData(c);
            assertThat(c.command("Subject: fine\r\n\r\n" + "z".repeat(998) + "\r\n.")).startsWith("250 2.0.0 ok ");
        }
        assertThat(server.queued()).hasSize(before + 1);
        server.stillServes();
    }

    @Test
    void megabytesOfContentWithoutNewlineAreReadToTheEndAndRefused() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            toData(c);
            byte[] junk = new byte[3 * 1024 * 1024];
            Arrays.fill(junk, (byte) 'q');
            c.raw(junk);
            assertThat(c.command("\r\n.")).isEqualTo("552 5.3.4 sorry, that message size exceeds my databytes limit");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void nulInContentIsKeptAsContent() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            toData(c);
            assertThat(c.command("Subject: nul\r\n\r\na\0b\r\n.")).startsWith("250 2.0.0 ok ");
        }
        server.stillServes();
    }

    static void toData(Wire c) throws Exception {
        c.expect("EHLO framing.example", "250");
        c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
        c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
        c.expect("DATA", "354 go ahead, end with <CRLF>.<CRLF>");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
