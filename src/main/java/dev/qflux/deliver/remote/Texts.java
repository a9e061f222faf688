package dev.qflux.deliver.remote;

import io.netty.channel.ConnectTimeoutException;
import java.util.concurrent.TimeoutException;

/**
 * Outcome texts in qmail-remote's words (qmail-remote.c): lines joined with "/" where qmail
 * prints newlines, since an outcome text is one log line.
 */
final class Texts {
    private Texts() {
    }

    static String remoteSaid(SmtpReply reply) {
        return "Remote host said: " + reply.text();
    }

    static String connected(String address, String what, SmtpReply reply) {
        return "Connected to " + address + " but " + what + "./" + remoteSaid(reply);
    }

    /** A connect that got no answer at all (qmail-tcpto counts these). */
    static boolean isTimeout(Throwable cause) {
        return cause instanceof ConnectTimeoutException || cause instanceof TimeoutException;
    }

    /** A destination whose control/tlsdestinations policy requires TLS could not have it (RFC 3463 4.7.5). */
    static String tlsRequired(String address, String what) {
        return "TLS is required for this destination (control/tlsdestinations) but with " + address + " "
                + oneLine(what) + ". (#4.7.5)";
    }

    static String noConnection(String address, Throwable cause) {
        if (isTimeout(cause)) {
            return "Connection to " + address + " timed out. (#4.4.1)";
        }
        return "Sorry, I wasn't able to establish an SMTP connection to " + address + ": "
                + oneLine(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                + ". (#4.4.1)";
    }

    /**
     * A failure while waiting in {@code phase}. After the content was sent the server may have
     * taken the message, so qmail-remote says "Possible duplicate!".
     */
    static String lost(String address, String phase, Throwable cause, boolean critical) {
        String duplicate = critical ? " Possible duplicate!" : "";
        if (cause instanceof TimeoutException) {
            return "Connection to " + address + " timed out " + phase + "." + duplicate + " (#4.4.2)";
        }
        if (cause instanceof SmtpConnection.SmtpProtocolException) {
            return "Connected to " + address + " but remote host sent a malformed/oversized reply ("
                    + cause.getMessage() + ") " + phase + "." + duplicate + " (#4.4.2)";
        }
        return "Connected to " + address + " but connection died " + phase + "." + duplicate + " (#4.4.2)";
    }

    /** Longest exception text quoted in an outcome; TLS errors can quote whole records in hex. */
    static final int MAX_CAUSE = 160;

    /** The innermost cause's name and message, short and on one line. */
    static String cause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
        return oneLine(text.length() > MAX_CAUSE ? text.substring(0, MAX_CAUSE) + "..." : text);
    }

    static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '\n' ? '/' : c < 0x20 ? ' ' : c);
        }
        return out.toString();
    }
}
