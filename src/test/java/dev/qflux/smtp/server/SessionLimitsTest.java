package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits a transcript cannot show: several connections, idle time, shared memory. */
class SessionLimitsTest {
    @TempDir
    Path dir;

    @Test
    void sessionsPerAddressAndInTotal() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir,
                Map.of("control/concurrencyperip", "1", "control/concurrencyincoming", "2"));
             Socket first = connect(server)) {
            assertThat(readLine(first)).startsWith("220 ");
            try (Socket second = connect(server)) {
                assertThat(readLine(second)).isEqualTo("421 4.7.0 too many sessions from your address, try again later");
                assertThat(second.getInputStream().read()).isEqualTo(-1);
            }
            // 127.0.0.2 is another client: allowed per address, and it fills the total of 2.
            try (Socket other = connect(server, "127.0.0.2")) {
                assertThat(readLine(other)).startsWith("220 "); // counted before the next connects
                try (Socket third = connect(server, "127.0.0.3")) {
                    assertThat(readLine(third)).isEqualTo("421 4.3.2 too many sessions, try again later");
                }
            }
        }
    }

    @Test
    void idleSessionIsClosedAfterTimeoutsmtpd() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, Map.of("control/timeoutsmtpd", "1"));
             Socket s = connect(server)) {
            assertThat(readLine(s)).startsWith("220 ");
            assertThat(readLine(s)).isEqualTo("421 4.4.2 mx.example.test timeout, closing connection");
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void messagesPastTheReceiveBudgetAreRefusedWith452() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, Map.of("control/receivebytes", "1000"))) {
            String big = "x".repeat(70) + "\r\n";
            TranscriptRunner.run("budget", java.util.List.of(
                    "S: 220 *", "C: HELO c", "S: 250 *", "C: MAIL FROM:<a@example.org>", "S: 250 *",
                    "C: RCPT TO:<b@localhost>", "S: 250 *", "C: DATA", "S: 354 *",
                    "R: " + big.repeat(20).replace("\r", "\\r").replace("\n", "\\n"), "C: .",
                    "S: 452 4.3.1 insufficient system storage, try later",
                    "C: MAIL FROM:<a@example.org>", "C: RCPT TO:<b@localhost>", "C: DATA",
                    "S: 250 *", "S: 250 *", "S: 354 *", "C: small", "C: .", "S: 250 2.0.0 ok *",
                    "queued: 1"), server.address(), server::queued);
        }
    }

    private static Socket connect(ServerFixture server) throws Exception {
        return connect(server, "127.0.0.1");
    }

    private static Socket connect(ServerFixture server, String from) throws Exception {
        Socket s = new Socket(server.address().getAddress(), server.address().getPort(),
                java.net.InetAddress.getByName(from), 0);
        s.setSoTimeout(30_000);
        return s;
    }

    private static String readLine(Socket s) throws Exception {
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                .readLine();
    }
}
