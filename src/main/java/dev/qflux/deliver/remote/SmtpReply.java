package dev.qflux.deliver.remote;

import java.util.List;

/**
 * One complete server reply (RFC 5321 4.2): its three-digit code and the text of each line,
 * without the code and separator.
 */
record SmtpReply(int code, List<String> lines) {
    SmtpReply {
        lines = List.copyOf(lines);
    }

    boolean positive() {
        return code >= 200 && code < 400;
    }

    boolean transientFailure() {
        return code >= 400 && code < 500;
    }

    /** The reply as qmail-remote quotes it after "Remote host said: ", lines joined with "/". */
    String text() {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(code);
            if (!line.isEmpty()) {
                out.append(' ').append(line);
            }
        }
        return out.toString();
    }
}
