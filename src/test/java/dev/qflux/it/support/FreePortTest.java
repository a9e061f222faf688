package dev.qflux.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

class FreePortTest {
    @Test
    void aListeningSocketMakesItsPortTaken() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = s.getLocalPort();

            assertThat(FreePort.isListening(port)).isTrue();
            assertThat(FreePort.isFree(port)).isFalse();
        }
    }

    @Test
    void pickedPortIsFree() {
        int port = FreePort.pick();

        assertThat(port).isPositive();
        assertThat(FreePort.isListening(port)).isFalse();
    }
}
