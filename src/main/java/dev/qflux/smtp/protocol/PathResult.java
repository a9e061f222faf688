package dev.qflux.smtp.protocol;

import java.util.Objects;

/** What parsing a MAIL or RCPT argument gives: a path, or the reply that refuses the command. */
public sealed interface PathResult permits PathResult.Ok, PathResult.Bad {

    /** The argument was a valid path; the session still decides whether it accepts it. */
    record Ok(MailPath path) implements PathResult {
        public Ok {
            Objects.requireNonNull(path, "path");
        }
    }

    /** The argument was refused; {@code reply} says why (one of {@link PathReplies}). */
    record Bad(Reply reply) implements PathResult {
        public Bad {
            Objects.requireNonNull(reply, "reply");
        }
    }
}
