package dev.qflux.bounce;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A host, a clock, a failed message and its failures, shared by the bounce tests. */
final class BounceFixtures {
    static final String ME = "mx.example.com";
    static final Instant NOW = Instant.parse("2026-11-25T14:30:00Z");
    static final Instant BIRTH = Instant.parse("2026-11-18T09:05:07Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static final String ORIGINAL = "Received: from unknown (HELO client) (192.0.2.9)\r\n"
            + "  by mx.example.com with ESMTP; 18 Nov 2026 09:05:07 -0000\r\n"
            + "From: Alice <alice@example.org>\r\n"
            + "To: god@heaven.af.mil, bob@example.net\r\n"
            + "Subject: are you there?\r\n"
            + "Message-ID: <m1@example.org>\r\n"
            + "\r\n"
            + "Just checking.\r\n";

    static final FailedRecipient NO_HOST = new FailedRecipient("god@heaven.af.mil",
            "Sorry, I couldn't find any host by that name. (#5.1.2)/", null);
    static final FailedRecipient NO_USER = new FailedRecipient("bob@example.net",
            "Connected to 192.0.2.1 but sender was rejected./Remote host said: 550 5.1.1 <bob@example.net>: no such user/",
            "mx1.example.net");

    static final List<FailedRecipient> TWO_FAILED = List.of(NO_HOST, NO_USER);

    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");

    private BounceFixtures() {
    }

    static Bouncer bouncer() {
        return new Bouncer(BounceSettings.defaults(ME), CLOCK);
    }

    static ByteBuf original(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }

    /** The message's bytes as text, and the buffer released. */
    static String text(ByteBuf message) {
        try {
            return message.toString(StandardCharsets.UTF_8);
        } finally {
            message.release();
        }
    }

    static String boundaryOf(String message) {
        Matcher m = BOUNDARY.matcher(message);
        if (!m.find()) {
            throw new AssertionError("no boundary in:\n" + message);
        }
        return m.group(1);
    }

    /** The body of MIME part {@code index} (0-based), without its part headers. */
    static String part(String message, int index) {
        String boundary = boundaryOf(message);
        String[] parts = message.split("\r\n--" + Pattern.quote(boundary), -1);
        String part = parts[index + 1];
        return part.substring(part.indexOf("\r\n\r\n") + 4);
    }

    /** The headers of MIME part {@code index} (0-based). */
    static String partHeaders(String message, int index) {
        String boundary = boundaryOf(message);
        String[] parts = message.split("\r\n--" + Pattern.quote(boundary), -1);
        String part = parts[index + 1];
        return part.substring(0, part.indexOf("\r\n\r\n") + 2);
    }
}
