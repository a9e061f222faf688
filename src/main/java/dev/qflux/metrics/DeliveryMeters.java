package dev.qflux.metrics;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.schedule.DeliveryEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Delivery meters fed by the scheduler's events. {@link #on} runs on the scheduler's worker, one
 * event at a time, so its maps need no locks; it only counts and never blocks. The last deferral
 * reason per destination is read by other threads and is guarded by its own lock.
 */
final class DeliveryMeters {
    /** Destinations shown with their own tag; the rest are summed as "other" (tag cardinality). */
    static final int TOP_DESTINATIONS = 20;
    /** Destinations whose last deferral reason is remembered, least recently deferred dropped. */
    static final int DEFERRALS_KEPT = 1000;
    /** Attempts tracked between Started and Finished; past this, events must have been dropped. */
    static final int STARTED_KEPT = 100_000;

    private record Attempt(long startNanos, String channel, String destination) {
    }

    private final MeterRegistry registry;
    private final Map<Long, Attempt> running = new HashMap<>();
    private final Map<String, String> lastDeferral = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > DEFERRALS_KEPT;
                }
            });
    private final MultiGauge inFlight;

    DeliveryMeters(MeterRegistry registry) {
        this.registry = registry;
        this.inFlight = MultiGauge.builder(MeterNames.DELIVERIES_IN_FLIGHT)
                .description("delivery attempts running, by destination (top "
                        + TOP_DESTINATIONS + " and other)")
                .register(registry);
    }

    void on(DeliveryEvent event) {
        if (event instanceof DeliveryEvent.Started s) {
            if (running.size() >= STARTED_KEPT) {
                running.clear();
            }
            running.put(s.deliveryId(), new Attempt(System.nanoTime(), s.local() ? "local" : "remote",
                    s.destination()));
        } else if (event instanceof DeliveryEvent.Finished f) {
            Attempt a = running.remove(f.deliveryId());
            String channel = a == null ? "unknown" : a.channel();
            if (a != null) {
                timer(channel).record(System.nanoTime() - a.startNanos(), TimeUnit.NANOSECONDS);
            }
            for (RecipientOutcome o : f.outcomes()) {
                counter(channel, outcome(o)).increment();
                if (o instanceof RecipientOutcome.Deferred d && a != null) {
                    lastDeferral.put(a.destination(), d.text());
                }
            }
        }
    }

    /** The busiest destinations, each alone, then one "other" row (only when some are left). */
    void refreshInFlight(Map<String, Integer> perDestination) {
        List<Map.Entry<String, Integer>> busiest = new ArrayList<>(perDestination.entrySet());
        busiest.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        int other = 0;
        for (int i = 0; i < busiest.size(); i++) {
            if (i < TOP_DESTINATIONS) {
                rows.add(MultiGauge.Row.of(Tags.of("destination", busiest.get(i).getKey()),
                        busiest.get(i).getValue()));
            } else {
                other += busiest.get(i).getValue();
            }
        }
        if (busiest.size() > TOP_DESTINATIONS) {
            rows.add(MultiGauge.Row.of(Tags.of("destination", "other"), other));
        }
        inFlight.register(rows, true);
    }

    Map<String, String> lastDeferrals() {
        synchronized (lastDeferral) {
            return Map.copyOf(lastDeferral);
        }
    }

    private Counter counter(String channel, String outcome) {
        return Counter.builder(MeterNames.DELIVERIES).description("recipients by delivery outcome")
                .tag("channel", channel).tag("outcome", outcome).register(registry);
    }

    private Timer timer(String channel) {
        return Timer.builder(MeterNames.DELIVERY_DURATION).description("time one delivery attempt took")
                .tag("channel", channel).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(20))
                .register(registry);
    }

    private static String outcome(RecipientOutcome o) {
        if (o instanceof RecipientOutcome.Delivered) {
            return "delivered";
        }
        return o instanceof RecipientOutcome.Deferred ? "deferred" : "failed";
    }
}
