package dev.qflux.inject;

import dev.qflux.smtp.protocol.PathParser;
import dev.qflux.smtp.protocol.PathResult;
import dev.qflux.spool.Envelope;

/** Checks an envelope from a maildrop file with the SMTP server's own path rules: a file is user input. */
final class EnvelopeCheck {
    private EnvelopeCheck() {
    }

    /** What is wrong with the envelope, or null. */
    static String problem(Envelope envelope) {
        String sender = envelope.sender();
        if (!sender.isEmpty() && !(PathParser.parseMailFrom("FROM:<" + sender + ">") instanceof PathResult.Ok)) {
            return "bad sender address: " + Injector.printable(sender);
        }
        for (String r : envelope.recipients()) {
            if (!(PathParser.parseRcptTo("TO:<" + r + ">") instanceof PathResult.Ok)) {
                return "bad recipient address: " + Injector.printable(r);
            }
        }
        return null;
    }
}
