package dev.qflux.bounce;

import dev.qflux.spool.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * qmail-send's bounce step (injectbounce): turns a message's permanent failures into a bounce to
 * its sender, a double bounce to doublebounceto, or nothing but a log line. No I/O: the result is
 * a {@link BounceDecision} for the caller to hand to the spool.
 */
public final class Bouncer {
    /** qmail-send's envelope sender for double bounces, so that their failure is recognised. */
    public static final String DOUBLE_BOUNCE_SENDER = "#@[]";

    /** qmail-send's subject for bounces and double bounces alike. */
    static final String SUBJECT = "failure notice";

    /** Random boundaries collide with the content about never; this bounds the retries if one does. */
    private static final int MAX_BOUNDARY_TRIES = 16;

    private final BounceSettings settings;
    private final Clock clock;
    private final Supplier<String> boundaries;

    public Bouncer(BounceSettings settings, Clock clock) {
        this(settings, clock, Bouncer::randomBoundary);
    }

    /** With chosen boundary candidates, so tests can offer one that occurs in the message. */
    Bouncer(BounceSettings settings, Clock clock, Supplier<String> boundaries) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.boundaries = Objects.requireNonNull(boundaries, "boundaries");
    }

    /**
     * Decides what the permanent failures of message {@code originalId} become.
     *
     * @param originalSender the failed message's envelope sender: {@code ""} (the null sender)
     *                       marks a bounce, {@code #@[]} a double bounce
     * @param arrival        when the failed message was accepted (the DSN's Arrival-Date)
     * @param failed         the recipients that failed for good, at least one
     * @param original       the stored message (CRLF lines); read, not consumed, not released
     * @param alloc          allocates the new message, which the decision's receiver releases
     */
    public BounceDecision decide(String originalSender, long originalId, Instant arrival,
                                 List<FailedRecipient> failed, ByteBuf original, ByteBufAllocator alloc) {
        Objects.requireNonNull(originalSender, "originalSender");
        if (failed.isEmpty()) {
            throw new IllegalArgumentException("nothing failed for msg " + originalId);
        }
        if (originalSender.equals(DOUBLE_BOUNCE_SENDER)) {
            return new BounceDecision.Drop("triple bounce: discarding msg " + originalId);
        }
        if (originalSender.isEmpty()) {
            if (settings.doubleBounceTo().isEmpty()) {
                // qmail-send: an empty control/doublebounceto throws double bounces away.
                return new BounceDecision.Drop("double bounce: discarding msg " + originalId);
            }
            String postmaster = settings.doubleBounceTo() + "@" + settings.doubleBounceHost();
            ByteBuf message = write(postmaster, "", true, originalId, arrival, failed, original, alloc);
            return new BounceDecision.DoubleBounce(new Envelope(DOUBLE_BOUNCE_SENDER, List.of(postmaster)), message);
        }
        // The bounce goes from the null sender, so that it can never cause another bounce.
        ByteBuf message = write(originalSender, originalSender, false, originalId, arrival, failed, original, alloc);
        return new BounceDecision.Bounce(new Envelope("", List.of(originalSender)), message);
    }

    private ByteBuf write(String to, String returnPath, boolean doubleBounce, long originalId, Instant arrival,
                          List<FailedRecipient> failed, ByteBuf original, ByteBufAllocator alloc) {
        OriginalCopy copy = OriginalCopy.of(returnPath, original, settings.maxOriginalBytes(), alloc);
        try {
            byte[] text = QsbmfText.render(settings.bounceHost(), doubleBounce, failed,
                    copy.headersOnly ? settings.maxOriginalBytes() : -1).getBytes(StandardCharsets.UTF_8);
            byte[] status = DeliveryStatus.render(settings.me(), arrival, failed).getBytes(StandardCharsets.US_ASCII);
            String boundary = boundaryAbsentFrom(copy.bytes, text, status);

            StringBuilder head = new StringBuilder(1024);
            Instant now = clock.instant();
            WireText.header(head, "Date", WireText.date(now));
            WireText.header(head, "From", settings.bounceFrom() + "@" + settings.bounceHost());
            WireText.header(head, "To", WireText.safe(to));
            WireText.header(head, "Subject", SUBJECT);
            WireText.header(head, "Message-ID", messageId(now, originalId));
            WireText.header(head, "MIME-Version", "1.0");
            WireText.header(head, "Content-Type",
                    "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"");
            // RFC 3834 §5: an automatic response; responders must not answer it.
            WireText.header(head, "Auto-Submitted", "auto-replied");
            head.append(WireText.CRLF);

            head.append("--").append(boundary).append(WireText.CRLF);
            WireText.header(head, "Content-Type", "text/plain; charset=utf-8");
            WireText.header(head, "Content-Transfer-Encoding", eightBit(text) ? "8bit" : "7bit");
            head.append(WireText.CRLF);

            String statusHead = WireText.CRLF + "--" + boundary + WireText.CRLF
                    + "Content-Type: message/delivery-status" + WireText.CRLF + WireText.CRLF;

            StringBuilder copyHead = new StringBuilder(128);
            copyHead.append(WireText.CRLF).append("--").append(boundary).append(WireText.CRLF);
            // RFC 6522 §4 for the header section alone; RFC 2046 §5.2.1 allows 7bit or 8bit only.
            WireText.header(copyHead, "Content-Type", copy.headersOnly ? "text/rfc822-headers" : "message/rfc822");
            WireText.header(copyHead, "Content-Transfer-Encoding", copy.eightBit ? "8bit" : "7bit");
            copyHead.append(WireText.CRLF);

            String end = WireText.CRLF + "--" + boundary + "--" + WireText.CRLF;

            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] statusHeadBytes = statusHead.getBytes(StandardCharsets.US_ASCII);
            byte[] copyHeadBytes = copyHead.toString().getBytes(StandardCharsets.US_ASCII);
            byte[] endBytes = end.getBytes(StandardCharsets.US_ASCII);
            ByteBuf out = alloc.buffer(headBytes.length + text.length + statusHeadBytes.length + status.length
                    + copyHeadBytes.length + copy.bytes.readableBytes() + endBytes.length);
            out.writeBytes(headBytes).writeBytes(text)
                    .writeBytes(statusHeadBytes).writeBytes(status)
                    .writeBytes(copyHeadBytes).writeBytes(copy.bytes, copy.bytes.readerIndex(), copy.bytes.readableBytes())
                    .writeBytes(endBytes);
            return out;
        } finally {
            copy.bytes.release();
        }
    }

    /** RFC 2046 §5.1.1: the boundary must not occur in any encapsulated part; checked, not hoped. */
    private String boundaryAbsentFrom(ByteBuf copy, byte[] text, byte[] status) {
        for (int i = 0; i < MAX_BOUNDARY_TRIES; i++) {
            String candidate = boundaries.get();
            ByteBuf needle = Unpooled.wrappedBuffer(candidate.getBytes(StandardCharsets.US_ASCII));
            boolean absent = ByteBufUtil.indexOf(needle, copy) < 0
                    && ByteBufUtil.indexOf(needle, Unpooled.wrappedBuffer(text)) < 0
                    && ByteBufUtil.indexOf(needle, Unpooled.wrappedBuffer(status)) < 0;
            if (absent) {
                return candidate;
            }
        }
        throw new IllegalStateException("no MIME boundary absent from the message after " + MAX_BOUNDARY_TRIES + " tries");
    }

    private String messageId(Instant now, long originalId) {
        return "<" + now.getEpochSecond() + "." + originalId + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + ".qflux@" + settings.me() + ">";
    }

    /** 24 random letters and digits: 143 bits, within RFC 2046's 70-character bchars. */
    static String randomBoundary() {
        String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder sb = new StringBuilder("=_qflux_");
        for (int i = 0; i < 24; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private static boolean eightBit(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return true;
            }
        }
        return false;
    }
}
