package dev.qflux.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {
    @Test
    void quantilesWithinOneBucket() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            h.recordNanos(1_000_000); // 1 ms
        }
        h.recordNanos(50_000_000); // 50 ms
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.quantileMillis(0.5)).isCloseTo(1.0, within(0.1));
        assertThat(h.quantileMillis(0.99)).isCloseTo(1.0, within(0.1));
        assertThat(h.quantileMillis(1.0)).isCloseTo(50.0, within(5.0));
    }

    @Test
    void emptyIsZero() {
        assertThat(new LatencyHistogram().quantileMillis(0.99)).isZero();
    }
}
