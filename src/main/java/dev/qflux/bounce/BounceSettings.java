package dev.qflux.bounce;

import java.util.Objects;

/**
 * The control files that shape bounces, with qmail's defaults (qmail-send(8), qmail-control(5)).
 *
 * @param me               control/me: names this host in the greeting, Reporting-MTA and Message-ID
 * @param bounceFrom       control/bouncefrom, default {@code MAILER-DAEMON}: local part of {@code From:}
 * @param bounceHost       control/bouncehost, default me: domain of {@code From:}
 * @param doubleBounceTo   control/doublebounceto, default {@code postmaster}; empty discards double
 *                         bounces, as in qmail-send
 * @param doubleBounceHost control/doublebouncehost, default me
 * @param maxOriginalBytes a failed message larger than this is returned as its header section only
 */
public record BounceSettings(String me, String bounceFrom, String bounceHost, String doubleBounceTo,
                             String doubleBounceHost, long maxOriginalBytes) {

    /**
     * 100 KiB, Exim's {@code bounce_return_size_limit} default: enough for any ordinary text
     * message to come back whole, while a failed multi-megabyte attachment is not mailed back to a
     * sender who already has it (and whose mailbox may refuse it). qmail returned everything;
     * Postfix's {@code bounce_size_limit} is a similar 50,000 bytes.
     */
    public static final long DEFAULT_MAX_ORIGINAL_BYTES = 100 * 1024;

    public BounceSettings {
        Objects.requireNonNull(me, "me");
        Objects.requireNonNull(bounceFrom, "bounceFrom");
        Objects.requireNonNull(bounceHost, "bounceHost");
        Objects.requireNonNull(doubleBounceTo, "doubleBounceTo");
        Objects.requireNonNull(doubleBounceHost, "doubleBounceHost");
        if (maxOriginalBytes < 0) {
            throw new IllegalArgumentException("maxOriginalBytes < 0: " + maxOriginalBytes);
        }
    }

    /** qmail's defaults for a host called {@code me}. */
    public static BounceSettings defaults(String me) {
        return new BounceSettings(me, "MAILER-DAEMON", me, "postmaster", me, DEFAULT_MAX_ORIGINAL_BYTES);
    }
}
