package dev.qflux.log;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** The two timestamp forms control/logtimestamp offers. */
final class Timestamps {
    /**
     * TAI64 label of 1970-01-01 00:00:00 TAI is 2^62; daemontools' taia_now adds 10 s for the
     * TAI-UTC offset of 1970 and, as multilog does, ignores later leap seconds.
     */
    static final long TAI64_UNIX_EPOCH = (1L << 62) + 10;

    /** UTC with milliseconds and a Z, one fixed width: 2026-11-25T16:00:04.123Z. */
    private static final DateTimeFormatter ISO_8601 =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** multilog's label: {@code @}, 16 hex digits of TAI64 seconds, 8 of nanoseconds. */
    static String tai64n(Instant at) {
        return String.format("@%016x%08x", TAI64_UNIX_EPOCH + at.getEpochSecond(), at.getNano());
    }

    static String iso8601(Instant at) {
        return ISO_8601.format(at);
    }
}
