package dev.qflux.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Fuzzes the command line splitter. Replays src/test/resources/.../SmtpCommandFuzzTestInputs in
 * every build; fuzzes with JAZZER_FUZZ=1 (docs/testing.md).
 */
class SmtpCommandFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void commandLine(byte[] input) {
        String line = new String(input, StandardCharsets.UTF_8);
        SmtpCommand cmd = SmtpCommand.parse(line);
        assertThat(line).endsWith(cmd.argument());
        if (cmd.verb() != Verb.UNKNOWN) {
            String name = cmd.verb().name();
            assertThat(line.substring(0, name.length()).toUpperCase(Locale.ROOT)).isEqualTo(name);
            assertThat(line.length() == name.length() || line.charAt(name.length()) == ' ').isTrue();
            assertThat(cmd.argument()).doesNotStartWith(" ");
        }
    }
}
