package dev.qflux.bounce;

import java.util.List;

/**
 * The human part in the qmail-send Bounce Message Format (QSBMF, cr.yp.to/proto/qsbmf.txt): an
 * introductory paragraph that begins "Hi. This is the", one paragraph per recipient beginning
 * {@code <address>:}, and a break paragraph beginning with "-". The wording is qmail-send's, since
 * it is what bounce parsers match; only the program's name is ours.
 */
final class QsbmfText {
    static final String GREETING = "Hi. This is the qflux program at ";

    static final String BOUNCE_INTRO = """
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.""";

    static final String DOUBLE_BOUNCE_INTRO =
            "I tried to deliver a bounce message to this address, but the bounce bounced!";

    static final String BOUNCE_BREAK = "--- Below this line is a copy of the message.";

    static final String DOUBLE_BOUNCE_BREAK = "--- Below this line is the original bounce.";

    private QsbmfText() {
    }

    /**
     * @param host            the host named in the greeting (qmail-send uses bouncehost)
     * @param doubleBounce    whether the failed message was itself a bounce
     * @param headersOnlyOver when not negative, the size above which only headers are returned
     */
    static String render(String host, boolean doubleBounce, List<FailedRecipient> failed, long headersOnlyOver) {
        StringBuilder out = new StringBuilder(512);
        WireText.bodyLine(out, GREETING + WireText.safe(host) + ".");
        for (String line : (doubleBounce ? DOUBLE_BOUNCE_INTRO : BOUNCE_INTRO).split("\n")) {
            WireText.bodyLine(out, line);
        }
        if (headersOnlyOver >= 0) {
            // Inside the introduction, which QSBMF readers skip, so the break line stays exact.
            WireText.bodyLine(out, "The message was larger than " + headersOnlyOver
                    + " bytes or had over-long lines; only its header section is returned.");
        }
        out.append(WireText.CRLF);
        for (FailedRecipient r : failed) {
            WireText.bodyLine(out, "<" + WireText.safe(r.address()) + ">:");
            for (String line : new FailureReason(WireText.safe(r.reason())).lines()) {
                WireText.bodyLine(out, line);
            }
            out.append(WireText.CRLF);
        }
        WireText.bodyLine(out, doubleBounce ? DOUBLE_BOUNCE_BREAK : BOUNCE_BREAK);
        out.append(WireText.CRLF);
        return out.toString();
    }
}
