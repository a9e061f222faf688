package dev.qflux.inject;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The trace field qmail-queue adds to mail from local programs (qmail-queue.c):
 * {@code Received: (qmail 12345 invoked by uid 1000); 25 Nov 2026 13:30:13 -0000}. The uid is the
 * maildrop file's owner, which the injecting user cannot forge; the pid is what inject wrote.
 */
final class ReceivedField {
    private static final DateTimeFormatter DATE_822 =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss '-0000'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private ReceivedField() {
    }

    static String invokedBy(long pid, int uid, long epochMillis) {
        return "Received: (qflux " + pid + " invoked by uid " + uid + "); "
                + DATE_822.format(Instant.ofEpochMilli(epochMillis)) + "\r\n";
    }
}
