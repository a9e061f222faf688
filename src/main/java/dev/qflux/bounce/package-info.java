/**
 * Bounces: qmail-send's job of telling a sender that some recipients failed for good.
 * {@link dev.qflux.bounce.Bouncer} decides whether a failure becomes a bounce to the sender, a
 * double bounce to the postmaster (when the failed message was itself a bounce) or is dropped (a
 * failed double bounce), and writes the message in wire form for the spool: an RFC 3464
 * {@code multipart/report} whose human part keeps qmail's QSBMF wording, so bounce parsers that
 * know qmail keep working, and whose {@code message/delivery-status} part serves those that read
 * DSNs.
 */
package dev.qflux.bounce;
