package dev.qflux.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.schedule.DeliveryEvent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeliveryMetersTest {
    @Test
    void outcomesAreCountedByChannelAndTheLastDeferralIsKept() {
        QfluxMetrics metrics = new QfluxMetrics();
        DeliveryMeters meters = new DeliveryMeters(metrics.registry());
        meters.on(new DeliveryEvent.Started(1, 10, "example.com", false, List.of("a@example.com", "b@example.com")));
        meters.on(new DeliveryEvent.Finished(1, 10, List.of(new RecipientOutcome.Delivered("ok"),
                new RecipientOutcome.Deferred("451 try later"))));
        meters.on(new DeliveryEvent.Started(2, 11, "local", true, List.of("c@here")));
        meters.on(new DeliveryEvent.Finished(2, 11, List.of(new RecipientOutcome.Failed("no mailbox"))));

        assertThat(count(metrics, "remote", "delivered")).isEqualTo(1);
        assertThat(count(metrics, "remote", "deferred")).isEqualTo(1);
        assertThat(count(metrics, "local", "failed")).isEqualTo(1);
        assertThat(metrics.registry().get(MeterNames.DELIVERY_DURATION).tag("channel", "remote").timer().count())
                .isEqualTo(1);
        assertThat(meters.lastDeferrals()).containsExactly(Map.entry("example.com", "451 try later"));
        metrics.close();
    }

    @Test
    void destinationTagsAreCappedToTheBusiestAndOther() {
        QfluxMetrics metrics = new QfluxMetrics();
        DeliveryMeters meters = new DeliveryMeters(metrics.registry());
        Map<String, Integer> inFlight = new HashMap<>();
        for (int i = 0; i < DeliveryMeters.TOP_DESTINATIONS + 5; i++) {
            inFlight.put("d" + i + ".test", i + 1);
        }
        meters.refreshInFlight(inFlight);
        var gauges = metrics.registry().find(MeterNames.DELIVERIES_IN_FLIGHT).gauges();
        assertThat(gauges).hasSize(DeliveryMeters.TOP_DESTINATIONS + 1);
        // The five least busy (1..5 attempts) are summed.
        assertThat(metrics.registry().get(MeterNames.DELIVERIES_IN_FLIGHT).tag("destination", "other")
                .gauge().value()).isEqualTo(15.0);
        assertThat(metrics.scrape()).contains("qflux_deliveries_inflight{destination=\"d24.test\"} 25.0");
        metrics.close();
    }

    private static double count(QfluxMetrics metrics, String channel, String outcome) {
        return metrics.registry().get(MeterNames.DELIVERIES).tag("channel", channel).tag("outcome", outcome)
                .counter().count();
    }
}
