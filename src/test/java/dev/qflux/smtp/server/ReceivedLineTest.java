package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReceivedLineTest {
    private static final long WHEN = Instant.parse("2026-11-05T13:30:13Z").toEpochMilli();

    @Test
    void qmailForm() {
        assertThat(ReceivedLine.format("client.example", "192.0.2.1", "mx.example.test", "ESMTP", WHEN))
                .isEqualTo("Received: from unknown (HELO client.example) (192.0.2.1)\r\n"
                        + "  by mx.example.test with ESMTP; 5 Nov 2026 13:30:13 -0000\r\n");
    }

    @Test
    void withoutHeloAndWithUnsafeCharacters() {
        assertThat(ReceivedLine.format(null, "::1", "me", "SMTP", WHEN))
                .startsWith("Received: from unknown (::1)\r\n  by me with SMTP; ");
        // CR, LF and spaces in HELO could forge header lines: qmail's safeput makes them '?'.
        assertThat(ReceivedLine.format("a\r\nX-Evil: 1 b", "192.0.2.1", "me", "ESMTP", WHEN))
                .startsWith("Received: from unknown (HELO a??X-Evil:?1?b) (192.0.2.1)\r\n");
    }
}
