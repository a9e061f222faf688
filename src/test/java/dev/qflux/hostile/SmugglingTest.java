package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.spool.QueueEntry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SMTP smuggling: every end-of-data look-alike a receiver might honour, followed by a smuggled
 * second transaction. DATA ends only at CRLF.CRLF; any bare CR or LF gets qmail's 451 and the
 * connection is dropped, so neither message is queued (design invariant 7).
 */
class SmugglingTest {
    /** The smuggled transaction that must never be seen as commands. */
    private static final String SMUGGLED = "MAIL FROM:<admin@example.test>\r\nRCPT TO:<victim@localhost>\r\n"
            + "DATA\r\nSubject: smuggled\r\n\r\nsmuggled\r\n.\r\n";

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

    /** End-of-data variants (as escapes: \r, \n, \0) placed right after a first line of content. */
    @ParameterizedTest
    @ValueSource(strings = {"\\n.\\n", "\\n.\\r\\n", "\\r.\\n", "\\r.\\r\\n", "\\r\\n.\\n", "\\r\\n.\\r",
        "\\n.\\r", ".\\n", "\\r\\n.\\0\\r\\n", "\\r\\r\\n.\\r\\r\\n", "\\n\\n.\\n\\n"})
    void dataWithSmuggledEndIsRefusedAndClosed(String variant) throws Exception {
        int before = server.queued().size();
        String end = variant.replace("\\r", "\r").replace("\\n", "\n").replace("\\0", "\0");
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO smuggler.example", "250");
            // Everything in one write, as a pipelining client would send it.
            c.raw("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@localhost>\r\nDATA\r\n"
                    + "Subject: first\r\n\r\nfirst" + end + SMUGGLED);
            assertThat(c.reply()).isEqualTo("250 2.1.0 ok");
            assertThat(c.reply()).isEqualTo("250 2.1.5 ok");
            assertThat(c.reply()).isEqualTo("354 go ahead, end with <CRLF>.<CRLF>");
            String verdict = c.reply();
            if (end.equals("\r\n.\0\r\n")) {
                // No bare line ending in this one: the data goes on, then the real CRLF.CRLF
                // after the smuggled part ends one message that holds everything.
                assertThat(verdict).startsWith("250 2.0.0 ok ");
                List<QueueEntry> queued = server.queued();
                assertThat(queued).hasSize(before + 1);
                assertThat(queued.get(queued.size() - 1).recipients()).containsExactly("b@localhost");
            } else {
                assertThat(verdict).isEqualTo(
                        "451 4.5.2 bare CR or LF in message; lines must end in CRLF (RFC 5321 2.3.8)");
                assertThat(c.closed()).isTrue();
                assertThat(server.queued()).hasSize(before);
            }
        }
        assertThat(server.queuedRecipients()).doesNotContain("victim@localhost");
        server.stillServes();
    }

    /** In BDAT, CRLF.CRLF is content: the chunk size decides the end, and it stays one message. */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bdatContentWithAnEndOfDataStaysOneMessage(boolean bareLf) throws Exception {
        int before = server.queued().size();
        String content = "Subject: chunked\r\n\r\nfirst\r\n.\r\n" + SMUGGLED + (bareLf ? "x\n" : "");
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO smuggler.example", "250");
            c.raw("MAIL FROM:<a@example.org>\r\nRCPT TO:<b@localhost>\r\nBDAT " + content.length()
                    + " LAST\r\n" + content);
            assertThat(c.reply()).isEqualTo("250 2.1.0 ok");
            assertThat(c.reply()).isEqualTo("250 2.1.5 ok");
            if (bareLf) {
                assertThat(c.reply()).isEqualTo(
                        "554 5.6.0 bare CR or LF in message; lines must end in CRLF (RFC 5321 2.3.8)");
                assertThat(server.queued()).hasSize(before);
            } else {
                assertThat(c.reply()).startsWith("250 2.0.0 ok ");
                assertThat(server.queued()).hasSize(before + 1);
            }
            c.expect("NOOP", "250 2.0.0 ok");
        }
        assertThat(server.queuedRecipients()).doesNotContain("victim@localhost");
        server.stillServes();
    }
}
