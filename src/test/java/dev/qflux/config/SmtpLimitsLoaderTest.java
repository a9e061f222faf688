package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpLimitsLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void onlyMeGivesTheDefaults() throws Exception {
        SmtpLimits l = ConfDir.withMe(tmp).load().smtpLimits();
        assertThat(l).isEqualTo(SmtpLimits.DEFAULTS);
        assertThat(l.connectRatePerIp()).isEqualTo(600);
        assertThat(l.maxRcptSession()).isEqualTo(10_000);
        assertThat(l.minDataRate()).isEqualTo(500);
        assertThat(l.dataRateWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(l.timeoutData()).isEqualTo(Duration.ofSeconds(300));
    }

    @Test
    void everyFileIsReadAndZeroTurnsCountsOff() throws Exception {
        SmtpLimits l = ConfDir.withMe(tmp)
                .control("connectrateperip", "0\n")
                .control("maxrcptsession", "7\n")
                .control("mindatarate", "0\n")
                .control("mindataratewindow", "5\n")
                .control("timeoutdata", "60\n")
                .load().smtpLimits();
        assertThat(l).isEqualTo(new SmtpLimits(0, 7, 0, Duration.ofSeconds(5), Duration.ofSeconds(60)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "connectrateperip|-1|must be 0 or more: \"-1\"",
        "maxrcptsession|many|not a number: \"many\"",
        "mindatarate|99999999999|too large: \"99999999999\" (at most 2147483647)",
        "mindataratewindow|0|must be 1 or more: \"0\"",
        "timeoutdata|0|must be 1 or more: \"0\"",
    })
    void badValuesNameTheFileAndLine(String file, String value, String error) {
        ConfDir conf = ConfDir.withMe(tmp).control(file, value + "\n");
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessage(conf.control(file) + ":1: " + error);
    }
}
