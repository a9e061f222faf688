package dev.qflux.bounce;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a failure reason in qmail's log form (lines joined with {@code /}) for the two readers of
 * a bounce: the lines a person reads, and the enhanced status code and remote reply a DSN carries.
 */
final class FailureReason {
    /** qmail-remote's words before the remote host's reply (qmail-remote.c, outsmtptext). */
    static final String REMOTE_SAID = "Remote host said: ";

    /** Used when neither the remote reply nor qmail's {@code (#x.y.z)} names a code (RFC 3463 §3.1). */
    static final String DEFAULT_STATUS = "5.0.0";

    /** A reply line that begins with its code and an enhanced code (RFC 2034 §4, RFC 3463 §2). */
    private static final Pattern REPLY_ENHANCED =
            Pattern.compile("^[245]\\d\\d[ -]([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");

    /** qmail's own texts end in {@code (#5.1.1)}. */
    private static final Pattern QMAIL_ENHANCED = Pattern.compile("#([245]\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");

    /** Where a multi-line reply continues: {@code /550 } or {@code /550-}. */
    private static final Pattern REPLY_CONTINUATION = Pattern.compile("/(?=[245]\\d\\d[ -])");

    private final String reason;

    FailureReason(String reason) {
        this.reason = reason;
    }

    /**
     * The reason as the lines qmail printed: {@code /} back to line breaks, no empty lines (an
     * empty line would end the QSBMF recipient paragraph early, so qmail's addbounce kept such a
     * break as {@code /}), and at least one line.
     */
    List<String> lines() {
        String[] parts = reason.split("/", -1);
        int end = parts.length;
        if (end > 1 && parts[end - 1].isEmpty()) {
            end--; // the reason's final newline ends the last line; it is no line of its own
        }
        List<String> out = new ArrayList<>(end);
        StringBuilder carried = new StringBuilder();
        for (int i = 0; i < end; i++) {
            if (parts[i].isEmpty()) {
                carried.append('/'); // qmail-send's addbounce: "\n\n" keeps its second break as "/"
                continue;
            }
            out.add(carried + parts[i]);
            carried.setLength(0);
        }
        if (carried.length() > 0 && !out.isEmpty()) {
            out.add(carried.toString());
        }
        if (out.isEmpty()) {
            out.add("Unknown failure.");
        }
        return out;
    }

    /** The remote host's reply, its lines joined with a space, if the reason quotes one. */
    Optional<String> remoteReply() {
        int at = reason.indexOf(REMOTE_SAID);
        if (at < 0) {
            return Optional.empty();
        }
        String reply = reason.substring(at + REMOTE_SAID.length());
        while (reply.endsWith("/")) {
            reply = reply.substring(0, reply.length() - 1);
        }
        reply = REPLY_CONTINUATION.matcher(reply).replaceAll(" ").strip();
        return reply.isEmpty() ? Optional.empty() : Optional.of(reply);
    }

    /**
     * The RFC 3463 status: the remote reply's enhanced code, else qmail's {@code #x.y.z}, else
     * {@link #DEFAULT_STATUS}. A 4.x.y is kept as it is: it says the failure was a transient one
     * that lasted past queuelifetime, as Postfix reports it too.
     */
    String status() {
        Optional<String> reply = remoteReply();
        if (reply.isPresent()) {
            Matcher m = REPLY_ENHANCED.matcher(reply.get());
            if (m.find()) {
                return m.group(1);
            }
        }
        Matcher m = QMAIL_ENHANCED.matcher(reason);
        String found = null;
        while (m.find()) {
            found = m.group(1); // qmail puts the code last; the last one is the verdict
        }
        return found != null ? found : DEFAULT_STATUS;
    }
}
