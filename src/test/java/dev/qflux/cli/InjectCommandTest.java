package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InjectCommandTest {

    @Test
    void sendmailArgumentsKeepTheirOrderAndTheDoubleDash() {
        assertThat(InjectCommand.sendmailArgs(List.of("inject", "--conf", "/etc/qflux", "-t", "-f", "a@b.c", "--",
                "-odd@example.org"))).containsExactly("-t", "-f", "a@b.c", "--", "-odd@example.org");
    }

    @Test
    void confInEitherFormIsNotASendmailArgument() {
        assertThat(InjectCommand.sendmailArgs(List.of("inject", "-oi", "--conf=/c", "ann@example.org")))
                .containsExactly("-oi", "ann@example.org");
    }

    @Test
    void afterTheDoubleDashConfIsARecipient() {
        assertThat(InjectCommand.sendmailArgs(List.of("inject", "--", "--conf", "x")))
                .containsExactly("--", "--conf", "x");
    }
}
