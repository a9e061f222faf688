package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HelpTest {
    @ParameterizedTest
    @ValueSource(strings = {"start", "qread", "qstat", "showctl", "cdb", "setup"})
    void helpVerbAndVerbHelpBothDescribeTheVerb(String verb) {
        CliRun help = CliRun.of("help", verb);
        CliRun flag = CliRun.of(verb, "--help");

        assertThat(help.status()).isZero();
        assertThat(help.out()).startsWith("Usage: qflux " + verb);
        assertThat(flag.status()).isZero();
        assertThat(flag.out()).isEqualTo(help.out());
    }

    @org.junit.jupiter.api.Test
    void helpAloneListsEveryVerb() {
        CliRun help = CliRun.of("help");
        assertThat(help.status()).isZero();
        assertThat(help.out()).contains("showctl", "cdb", "setup", "start", "qread", "qstat");
    }
}
