package dev.qflux.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommandMetersTest {
    @Test
    void commandsAreCountedByVerbAndReplyClass() {
        QfluxMetrics metrics = new QfluxMetrics();
        metrics.countCommand("MAIL", 250);
        metrics.countCommand("MAIL", 250);
        metrics.countCommand("MAIL", 451);
        metrics.countCommand("DATA", 354);
        metrics.countCommand("BDAT", 0);
        assertThat(count(metrics, "MAIL", "2xx")).isEqualTo(2);
        assertThat(count(metrics, "MAIL", "4xx")).isEqualTo(1);
        assertThat(count(metrics, "DATA", "3xx")).isEqualTo(1);
        assertThat(count(metrics, "BDAT", "none")).isEqualTo(1);
        assertThat(metrics.scrape()).contains("qflux_smtp_commands_total{reply=\"2xx\",verb=\"MAIL\"} 2.0");
        metrics.close();
    }

    private static double count(QfluxMetrics metrics, String verb, String reply) {
        return metrics.registry().get(MeterNames.SMTP_COMMANDS).tag("verb", verb).tag("reply", reply)
                .counter().count();
    }
}
