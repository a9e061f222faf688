package dev.qflux.it.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class RawSmtpClientTest {
    @Test
    void dotStuffingDoublesLeadingDotsAndTerminates() {
        byte[] wire = RawSmtpClient.dotStuffed(".first\r\nmid.dle\r\n.\r\n..two\r\n");

        assertThat(new String(wire, StandardCharsets.US_ASCII))
                .isEqualTo("..first\r\nmid.dle\r\n..\r\n...two\r\n.\r\n");
    }

    @Test
    void messageMustEndWithCrlf() {
        assertThatThrownBy(() -> RawSmtpClient.dotStuffed("no line end"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
