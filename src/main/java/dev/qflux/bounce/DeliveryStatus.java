package dev.qflux.bounce;

import java.time.Instant;
import java.util.List;

/**
 * The {@code message/delivery-status} part (RFC 3464 §2): per-message fields, then one block of
 * per-recipient fields for each failed recipient, blocks separated by empty lines. The part is
 * US-ASCII (RFC 3464 §2.1); a non-ASCII address is written as RFC 6533's utf-8 address type.
 */
final class DeliveryStatus {
    private DeliveryStatus() {
    }

    static String render(String me, Instant arrival, List<FailedRecipient> failed) {
        StringBuilder out = new StringBuilder(256 + 256 * failed.size());
        WireText.header(out, "Reporting-MTA", "dns; " + WireText.ascii(me));
        WireText.header(out, "Arrival-Date", WireText.date(arrival));
        for (FailedRecipient r : failed) {
            FailureReason reason = new FailureReason(r.reason());
            out.append(WireText.CRLF);
            WireText.header(out, "Final-Recipient", finalRecipient(r.address()));
            WireText.header(out, "Action", "failed");
            WireText.header(out, "Status", reason.status());
            if (r.remoteMta() != null && !r.remoteMta().isBlank()) {
                WireText.header(out, "Remote-MTA", "dns; " + WireText.ascii(r.remoteMta()));
            }
            reason.remoteReply().ifPresent(reply ->
                    WireText.header(out, "Diagnostic-Code", "smtp; " + WireText.ascii(reply)));
        }
        return out.toString();
    }

    /** RFC 3464 §2.3.2 with address type rfc822, or RFC 6533 §3's utf-8 for a non-ASCII address. */
    static String finalRecipient(String address) {
        if (WireText.isAscii(address)) {
            return "rfc822; " + WireText.ascii(address);
        }
        return "utf-8; " + utf8AddrXtext(address);
    }

    /**
     * RFC 6533 §3 utf-8-addr-xtext: QCHARs stay, everything else (non-ASCII, space, '+', '=',
     * '\\', controls) becomes {@code \x{HEX}}.
     */
    static String utf8AddrXtext(String address) {
        StringBuilder sb = new StringBuilder(address.length() + 16);
        address.codePoints().forEach(cp -> {
            boolean qchar = cp >= 0x21 && cp <= 0x7e && cp != '+' && cp != '=' && cp != '\\';
            if (qchar) {
                sb.append((char) cp);
            } else {
                sb.append("\\x{").append(Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT)).append('}');
            }
        });
        return sb.toString();
    }
}
