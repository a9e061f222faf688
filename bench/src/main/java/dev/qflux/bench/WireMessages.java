package dev.qflux.bench;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Builds the wire form of a plain-text message as a client sends it after DATA (RFC 5321 4.5.2):
 * headers, a blank line, body lines of ordinary text, CRLF line endings, every line that starts with
 * "." dot-stuffed, then CRLF "." CRLF. Deterministic for a given size, so runs compare.
 */
final class WireMessages {

    /** Body lines stay below the 78 characters RFC 5322 2.1.1 recommends. */
    private static final int LINE_LENGTH = 72;
    /** About one body line in this many starts with a dot (quoted text, ellipses), to exercise unstuffing. */
    private static final int DOT_LINE_EVERY = 40;
    private static final String[] WORDS = {
        "the", "queue", "message", "delivery", "remote", "host", "accepted", "recipient", "sender",
        "mail", "server", "retry", "schedule", "segment", "journal", "flush", "envelope", "domain",
        "of", "and", "to", "in", "is", "for", "on", "with", "as", "at", "by", "from", "that", "this",
    };
    private static final String HEADERS = String.join("\r\n",
            "Received: from client.example (HELO client.example) (192.0.2.10)",
            "  by mx.bench.test with ESMTP; 25 Nov 2026 13:30:13 -0000",
            "From: Sender Name <sender@client.example>",
            "To: Recipient Name <user@bench.test>",
            "Subject: Quarterly report on queue throughput and delivery latency",
            "Date: Wed, 25 Nov 2026 13:30:12 +0000",
            "Message-ID: <20261125133012.4711@client.example>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=us-ascii",
            "Content-Transfer-Encoding: 7bit",
            "", "");

    private WireMessages() {
    }

    /** The dot-stuffed wire bytes of a message whose content is about contentBytes long, with terminator. */
    static byte[] wireForm(int contentBytes) {
        Random random = new Random(contentBytes);
        StringBuilder wire = new StringBuilder(contentBytes + contentBytes / 20 + 16).append(HEADERS);
        int lines = 0;
        while (wire.length() < contentBytes) {
            StringBuilder line = new StringBuilder(LINE_LENGTH + 8);
            if (++lines % DOT_LINE_EVERY == 0) {
                line.append("..."); // the dot transparency adds (RFC 5321 4.5.2), then the text's ".."
            }
            while (line.length() < LINE_LENGTH) {
                line.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            wire.append(line, 0, line.length() - 1).append("\r\n");
        }
        return wire.append(".\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }
}
