package dev.qflux.log;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One log line's event and fields, as {@code control/logformat json} writes them.
 *
 * @param event  what happened: {@code new}, {@code info}, {@code starting}, {@code delivery},
 *               {@code status}, {@code bounce}, {@code discard}, {@code end}, {@code smtpd},
 *               {@code warning}, {@code stats}, or {@code other} for a line of no known kind
 * @param fields in line order; values are {@link Long} for numbers, else {@link String}
 */
public record LogEvent(String event, Map<String, Object> fields) {
    public LogEvent {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }
}
