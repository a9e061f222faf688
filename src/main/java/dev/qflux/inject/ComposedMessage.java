package dev.qflux.inject;

import java.util.List;

/**
 * A message ready for the maildrop: envelope and content in wire form (CRLF lines).
 *
 * @param sender     envelope sender, "" for the null sender
 * @param recipients envelope recipients, at least one
 * @param content    header and body, every line ending in CRLF
 */
record ComposedMessage(String sender, List<String> recipients, byte[] content) {
    ComposedMessage {
        recipients = List.copyOf(recipients);
    }
}
