package dev.qflux.bounce;

import dev.qflux.spool.Envelope;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * What becomes of a message's permanent failures, a closed set as in qmail-send's injectbounce.
 * The {@code message} of a bounce is the new message in wire form (CRLF lines), ready for the
 * spool; the receiver owns it and must release it.
 */
public sealed interface BounceDecision {

    /** A bounce to the original sender, from the null sender. */
    record Bounce(Envelope envelope, ByteBuf message) implements BounceDecision {
        public Bounce {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The failed message was a bounce: tell doublebounceto, from qmail's {@code #@[]}. */
    record DoubleBounce(Envelope envelope, ByteBuf message) implements BounceDecision {
        public DoubleBounce {
            Objects.requireNonNull(envelope, "envelope");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Nobody left to tell: the failure is only logged ({@code logLine}, qmail-send's wording). */
    record Drop(String logLine) implements BounceDecision {
        public Drop {
            Objects.requireNonNull(logLine, "logLine");
        }
    }
}
