package dev.qflux.smtp.server;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Received:} line qmail-smtpd adds (qmail's received.c), with CRLF line ends because
 * the spool stores messages in wire form:
 * <pre>Received: from unknown (HELO host) (1.2.3.4)
 *   by me with ESMTP; 25 Nov 2026 13:30:13 -0000</pre>
 */
final class ReceivedLine {
    private static final DateTimeFormatter DATE_822 =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss '-0000'", Locale.ROOT);

    private ReceivedLine() {
    }

    static String format(String helo, String clientIp, String me, String protocol, long epochMillis) {
        StringBuilder sb = new StringBuilder(160);
        // qmail has no reverse lookup here without tcpserver's TCPREMOTEHOST: "unknown".
        sb.append("Received: from unknown");
        if (helo != null) {
            sb.append(" (HELO ").append(safe(helo)).append(')');
        }
        sb.append(" (").append(safe(clientIp)).append(")\r\n  by ").append(safe(me))
                .append(" with ").append(protocol).append("; ")
                .append(DATE_822.format(ZonedDateTime.ofInstant(
                        java.time.Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC)))
                .append("\r\n");
        return sb.toString();
    }

    /** qmail's safeput: anything outside a small safe set becomes '?', so no header injection. */
    static String safe(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || ".@%+/=:-[]_".indexOf(c) >= 0;
            sb.append(ok ? c : '?');
        }
        return sb.toString();
    }
}
