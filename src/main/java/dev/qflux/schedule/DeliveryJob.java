package dev.qflux.schedule;

import java.util.List;

/**
 * One attempt at the pending recipients of one message for one destination.
 *
 * @param deliveryId       this attempt's number, as in qmail-send's {@code starting delivery D}
 * @param messageId        the spool's message id
 * @param birthMillis      when the message was accepted (epoch milliseconds)
 * @param destination      the destination key ({@code destinationOf} of the recipients)
 * @param local            local channel (qmail-lspawn) rather than remote (qmail-rspawn)
 * @param recipientIndexes each recipient's position in the message's recipient list (shared
 *                         with the caller: do not modify)
 * @param recipients       the recipients, in the order outcomes must come back
 * @param attempt          1 for the first attempt of this message on this channel, then 2, 3 ...
 * @param lastTry          the message has outlived {@code queuelifetime}: deferrals become failures
 */
public record DeliveryJob(long deliveryId, long messageId, long birthMillis, String destination, boolean local,
                          int[] recipientIndexes, List<String> recipients, int attempt, boolean lastTry) {
}
