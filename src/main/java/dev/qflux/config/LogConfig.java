package dev.qflux.config;

/**
 * How log lines are written: control/logformat and control/logtimestamp.
 *
 * @param format    {@code qmail} (default): qmail-send's lines, which qmailanalog-style tools
 *                  read; {@code json}: one JSON object per line with the same events and fields
 * @param timestamp {@code none} (default: under multilog or journald, which stamp lines
 *                  themselves), {@code tai64n} (multilog's {@code @4000...} label) or
 *                  {@code iso8601}
 */
public record LogConfig(Format format, Timestamp timestamp) {
    /** The defaults: qmail lines, no timestamp. */
    public static final LogConfig DEFAULT = new LogConfig(Format.QMAIL, Timestamp.NONE);

    /** control/logformat's values. */
    public enum Format { QMAIL, JSON }

    /** control/logtimestamp's values. */
    public enum Timestamp { NONE, TAI64N, ISO8601 }
}
