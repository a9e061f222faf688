package dev.qflux.log;

import dev.qflux.config.LogConfig;
import java.time.Instant;
import java.util.Map;

/**
 * Turns a qmail log line into what is written, per control/logformat and control/logtimestamp.
 * Runs on the log writer's thread, never on an event loop.
 */
final class LineFormat {
    /** qmail lines, no timestamp: today's output, unchanged. */
    static final LineFormat PLAIN = new LineFormat(LogConfig.DEFAULT);

    private final LogConfig config;

    LineFormat(LogConfig config) {
        this.config = config;
    }

    String render(String line, Instant at) {
        String stamp = stamp(at);
        if (config.format() == LogConfig.Format.JSON) {
            return json(QmailLines.parse(line), stamp);
        }
        return stamp == null ? line : stamp + " " + line;
    }

    private String stamp(Instant at) {
        if (config.timestamp() == LogConfig.Timestamp.TAI64N) {
            return Timestamps.tai64n(at);
        }
        if (config.timestamp() == LogConfig.Timestamp.ISO8601) {
            return Timestamps.iso8601(at);
        }
        return null;
    }

    /** One JSON object (RFC 8259): ts when timestamps are on, event, then the line's fields. */
    static String json(LogEvent event, String stamp) {
        StringBuilder b = new StringBuilder(128).append('{');
        if (stamp != null) {
            string(b.append("\"ts\":"), stamp).append(',');
        }
        string(b.append("\"event\":"), event.event());
        for (Map.Entry<String, Object> field : event.fields().entrySet()) {
            string(b.append(','), field.getKey()).append(':');
            if (field.getValue() instanceof Long n) {
                b.append(n.longValue());
            } else {
                string(b, String.valueOf(field.getValue()));
            }
        }
        return b.append('}').toString();
    }

    /** RFC 8259 section 7: quote, backslash and control characters escaped. */
    private static StringBuilder string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c < 0x20 || c == 0x7f || c == 0x2028 || c == 0x2029) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }
}
