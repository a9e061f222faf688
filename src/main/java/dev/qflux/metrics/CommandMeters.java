package dev.qflux.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * SMTP commands by verb and reply class (2xx..5xx, "none" for a BDAT chunk still to be read).
 * Called on event loops for every command: after the first command of a verb it is a map read and
 * an atomic add, nothing allocated. Verbs are qflux's closed set (unknown commands are "UNKNOWN").
 */
final class CommandMeters {
    private static final String[] CLASSES = {"none", "1xx", "2xx", "3xx", "4xx", "5xx"};

    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter[]> byVerb = new ConcurrentHashMap<>();

    CommandMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void count(String verb, int replyCode) {
        int cls = replyCode >= 100 && replyCode < 600 ? replyCode / 100 : 0;
        Counter[] counters = byVerb.computeIfAbsent(verb, v -> new Counter[CLASSES.length]);
        Counter c = counters[cls];
        if (c == null) {
            c = Counter.builder(MeterNames.SMTP_COMMANDS).description("SMTP commands by verb and reply class")
                    .tag("verb", verb).tag("reply", CLASSES[cls]).register(registry);
            counters[cls] = c; // a race registers the same meter twice: Micrometer returns the one
        }
        c.increment();
    }
}
