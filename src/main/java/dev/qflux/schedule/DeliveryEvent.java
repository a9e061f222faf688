package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.util.List;

/** What the scheduler did, for the log (qmail-send's lines), metrics, and the integrator's actions. */
public sealed interface DeliveryEvent {

    long messageId();

    /** An attempt began: qmail's {@code starting delivery D: msg M to remote R}. */
    record Started(long deliveryId, long messageId, String destination, boolean local, List<String> recipients)
            implements DeliveryEvent {
    }

    /** An attempt ended and its outcomes were recorded; one outcome per recipient of {@link Started}. */
    record Finished(long deliveryId, long messageId, List<RecipientOutcome> outcomes) implements DeliveryEvent {
    }

    /**
     * Some recipients failed for good since the last such event: build and queue a bounce for
     * them. Comes before this message's {@link MessageDone}.
     */
    record BounceNeeded(long messageId, List<FailedRecipient> failures) implements DeliveryEvent {
    }

    /** Every recipient is done (delivered or failed and recorded): the spool may drop the message. */
    record MessageDone(long messageId) implements DeliveryEvent {
    }

    /** One failed recipient for a bounce: its position in the message, address and reason. */
    record FailedRecipient(int index, String recipient, String reason) {
    }
}
