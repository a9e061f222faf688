package dev.qflux.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class SpooledMessageTest {
    private static final String RECEIVED = "Received: from unknown (HELO x) (1.2.3.4)\r\n"
            + "  by qflux.test with ESMTP; 25 Nov 2026 13:30:13 -0000\r\n";
    private static final String SENT = "Message-ID:\r\n <folded.1@test>\r\nSubject: s\r\n\r\nbody\r\n";

    private final SpooledMessage message = new SpooledMessage("1", "a@b", List.of("c@d"),
            (RECEIVED + SENT).getBytes(StandardCharsets.UTF_8));

    @Test
    void firstHeaderFieldIncludesItsContinuationLine() {
        assertThat(message.firstHeaderField()).isEqualTo(RECEIVED);
        assertThat(message.bodyAfterFirstHeader()).isEqualTo(SENT.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void headerIsUnfoldedAndCaseInsensitive() {
        assertThat(message.messageId()).contains("<folded.1@test>");
        assertThat(message.header("subject")).contains("s");
        assertThat(message.header("Body")).isEmpty();
    }

    @Test
    void endsWithComparesTheLastBytes() {
        assertThat(message.endsWith("body\r\n")).isTrue();
        assertThat(message.endsWith("body")).isFalse();
    }

    @Test
    void messageIdCountsSeeDuplicates() {
        assertThat(SpoolInspector.messageIdCounts(List.of(message, message)))
                .containsEntry("<folded.1@test>", 2);
    }
}
