package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static dev.qflux.hostile.HostileServer.TRUSTED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.smtp.server.LimitCounters.Limit;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** maxrcpt per message and maxrcptsession over a session's transactions. */
class RecipientLimitsTest {
    @TempDir
    Path dir;

    @Test
    void recipientsAreCountedAcrossTransactions() throws Exception {
        try (HostileServer server = HostileServer.start(dir,
                Map.of("control/maxrcpt", "2", "control/maxrcptsession", "3"))) {
            try (Wire c = server.connect(STRANGER)) {
                c.expect("HELO many.example", "250 mx.example.test");
                c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
                c.expect("RCPT TO:<r1@localhost>", "250 2.1.5 ok");
                c.expect("RCPT TO:<r2@localhost>", "250 2.1.5 ok");
                c.expect("RCPT TO:<r3@localhost>", "452 4.5.3 too many recipients");
                c.expect("RSET", "250 2.0.0 flushed");
                c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
                c.expect("RCPT TO:<r3@localhost>", "250 2.1.5 ok");
                c.expect("RCPT TO:<r4@localhost>",
                        "452 4.5.3 too many recipients in this session, try again later");
                c.expect("DATA", "354 go ahead, end with <CRLF>.<CRLF>");
                assertThat(c.command("\r\n.")).startsWith("250 2.0.0 ok ");
                c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
                c.expect("RCPT TO:<r5@localhost>",
                        "452 4.5.3 too many recipients in this session, try again later");
                c.expect("DATA", "503 5.5.1 RCPT first");
            }
            assertThat(server.queuedRecipients()).containsExactly("r3@localhost");
            assertThat(server.hits(Limit.MAX_RCPT)).isEqualTo(1);
            assertThat(server.hits(Limit.MAX_RCPT_SESSION)).isEqualTo(2);
            // A RELAYCLIENT client is exempt from maxrcptsession (not from maxrcpt).
            try (Wire c = server.connect(TRUSTED)) {
                for (int m = 0; m < 3; m++) {
                    c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
                    c.expect("RCPT TO:<t" + m + "a@localhost>", "250 2.1.5 ok");
                    c.expect("RCPT TO:<t" + m + "b@localhost>", "250 2.1.5 ok");
                    c.expect("RSET", "250 2.0.0 flushed");
                }
            }
            server.stillServes();
        }
    }
}
