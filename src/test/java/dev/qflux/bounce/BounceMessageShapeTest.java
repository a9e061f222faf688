package dev.qflux.bounce;

import static dev.qflux.bounce.BounceFixtures.BIRTH;
import static dev.qflux.bounce.BounceFixtures.CLOCK;
import static dev.qflux.bounce.BounceFixtures.ME;
import static dev.qflux.bounce.BounceFixtures.ORIGINAL;
import static dev.qflux.bounce.BounceFixtures.TWO_FAILED;
import static dev.qflux.bounce.BounceFixtures.boundaryOf;
import static dev.qflux.bounce.BounceFixtures.original;
import static dev.qflux.bounce.BounceFixtures.part;
import static dev.qflux.bounce.BounceFixtures.partHeaders;
import static dev.qflux.bounce.BounceFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every bounce must be on the wire, whatever it carries. */
class BounceMessageShapeTest {
    private static final UnpooledByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static byte[] bounce(Bouncer bouncer, String sender, List<FailedRecipient> failed, String originalText) {
        ByteBuf original = original(originalText);
        try {
            BounceDecision d = bouncer.decide(sender, 7, BIRTH, failed, original, ALLOC);
            ByteBuf message = ((BounceDecision.Bounce) d).message();
            try {
                byte[] bytes = new byte[message.readableBytes()];
                message.getBytes(message.readerIndex(), bytes);
                return bytes;
            } finally {
                message.release();
            }
        } finally {
            original.release();
        }
    }

    private static Bouncer bouncerWithLimit(long maxOriginalBytes) {
        return new Bouncer(new BounceSettings(ME, "MAILER-DAEMON", ME, "postmaster", ME, maxOriginalBytes), CLOCK);
    }

    @Test
    void aMessageOverTheLimitComesBackAsItsHeaderSectionOnly() {
        String big = ORIGINAL + "x".repeat(200) + "\r\n";
        String msg = new String(bounce(bouncerWithLimit(ORIGINAL.length()), "alice@example.org", TWO_FAILED, big),
                StandardCharsets.UTF_8);

        assertThat(partHeaders(msg, 2)).isEqualTo("\r\nContent-Type: text/rfc822-headers\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n");
        String headers = ORIGINAL.substring(0, ORIGINAL.indexOf("\r\n\r\n") + 2);
        assertThat(part(msg, 2)).isEqualTo("Return-Path: <alice@example.org>\r\n" + headers);
        assertThat(part(msg, 0)).contains("only its header section is returned")
                .endsWith("\r\n\r\n--- Below this line is a copy of the message.\r\n\r\n");
    }

    @Test
    void aMessageAtTheLimitComesBackWhole() {
        String msg = new String(bounce(bouncerWithLimit(ORIGINAL.length()), "alice@example.org", TWO_FAILED, ORIGINAL),
                StandardCharsets.UTF_8);
        assertThat(partHeaders(msg, 2)).contains("Content-Type: message/rfc822");
        assertThat(part(msg, 2)).endsWith("Just checking.\r\n");
    }

    @Test
    void aBoundaryFoundInTheOriginalIsNeverUsed() {
        String inOriginal = "=_qflux_seenBefore";
        String original = ORIGINAL + "--" + inOriginal + "\r\n";
        Iterator<String> candidates = List.of(inOriginal, "=_qflux_fresh").iterator();
        Bouncer bouncer = new Bouncer(BounceSettings.defaults(ME), CLOCK, candidates::next);

        String msg = new String(bounce(bouncer, "alice@example.org", TWO_FAILED, original), StandardCharsets.UTF_8);

        assertThat(boundaryOf(msg)).isEqualTo("=_qflux_fresh");
        assertThat(part(msg, 2)).endsWith("--" + inOriginal + "\r\n");
    }

    @Test
    void randomBoundariesAreAbsentFromTheWholeMessageAndDiffer() {
        String a = Bouncer.randomBoundary();
        assertThat(a).isNotEqualTo(Bouncer.randomBoundary()).hasSizeLessThanOrEqualTo(70).matches("[=_A-Za-z0-9]+");
        String msg = new String(bounce(BounceFixtures.bouncer(), "alice@example.org", TWO_FAILED, ORIGINAL),
                StandardCharsets.UTF_8);
        String boundary = boundaryOf(msg);
        // Once in Content-Type, once per part delimiter (3) and once in the close delimiter.
        assertThat(msg.split(java.util.regex.Pattern.quote(boundary), -1)).hasSize(1 + 1 + 3 + 1);
    }

    @Test
    void everyLineEndsInCrlfAndFitsIn998Octets() {
        String longWord = "y".repeat(2500);
        String longReply = "Remote host said: 550 5.7.1 " + "blocked because ".repeat(150) + longWord + "/";
        FailedRecipient chatty = new FailedRecipient("carol@example.net", longReply, "mx." + "a".repeat(300) + ".net");
        String original = "Subject: " + "s ".repeat(600) + "\r\n" // long but foldable: a header copy cuts it
                + "X-Bare-Lf: one\ntwo\r\n"
                + "\r\n"
                + "z".repeat(5000) + "\r\n"; // a line no MIME part may carry
        byte[] bytes = bounce(BounceFixtures.bouncer(), "alice@example.org", List.of(chatty), original);

        assertCrlfLinesWithin998(bytes);
        String msg = new String(bytes, StandardCharsets.UTF_8);
        assertThat(partHeaders(msg, 2)).contains("text/rfc822-headers");
        assertThat(part(msg, 1)).contains("Diagnostic-Code: smtp; 550 5.7.1 blocked because")
                .contains("\r\n blocked because ").contains("Status: 5.7.1");
        assertThat(part(msg, 0)).contains(longWord.substring(0, 900));
    }

    @Test
    void eightBitContentIsLabelledSo() {
        String original = "Subject: =?utf-8?q?gr=C3=BC=C3=9Fe?=\r\n\r\nGrüße aus Köln.\r\n";
        FailedRecipient failed = new FailedRecipient("jörg@exämple.net", "Sorry, no mailbox here by that name. (#5.1.1)/", null);
        String msg = new String(bounce(BounceFixtures.bouncer(), "ünsal@example.org", List.of(failed), original),
                StandardCharsets.UTF_8);

        assertThat(msg).contains("\r\nTo: ünsal@example.org\r\n");
        assertThat(partHeaders(msg, 0)).contains("Content-Transfer-Encoding: 8bit");
        assertThat(part(msg, 0)).contains("<jörg@exämple.net>:\r\n");
        assertThat(part(msg, 1)).contains("Final-Recipient: utf-8; j\\x{F6}rg@ex\\x{E4}mple.net\r\n");
        assertThat(partHeaders(msg, 2)).contains("Content-Transfer-Encoding: 8bit");
    }

    @Test
    void controlCharactersInReasonsCannotBreakLines() {
        FailedRecipient sneaky = new FailedRecipient("bob@example.net",
                "Remote host said: 550 no\r\nBcc: victim@example.org", null);
        byte[] bytes = bounce(BounceFixtures.bouncer(), "alice@example.org", List.of(sneaky), ORIGINAL);

        assertCrlfLinesWithin998(bytes);
        String msg = new String(bytes, StandardCharsets.UTF_8);
        assertThat(msg).doesNotContain("\r\nBcc:").contains("550 no??Bcc: victim@example.org");
    }

    static void assertCrlfLinesWithin998(byte[] bytes) {
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n').as("CR at %d is followed by LF", i).isTrue();
            } else if (bytes[i] == '\n') {
                assertThat(i > 0 && bytes[i - 1] == '\r').as("LF at %d follows CR", i).isTrue();
                assertThat(i - 1 - lineStart).as("octets in the line at %d", lineStart).isLessThanOrEqualTo(998);
                lineStart = i + 1;
            }
        }
        assertThat(lineStart).as("the message ends with CRLF").isEqualTo(bytes.length);
    }
}
