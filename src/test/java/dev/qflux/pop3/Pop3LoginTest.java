package dev.qflux.pop3;

import static dev.qflux.pop3.Pop3Fixture.PASSWORD;
import static dev.qflux.pop3.Pop3Fixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins: failures, their limits and delays, what the log shows, plaintext policy and APOP. */
class Pop3LoginTest {
    @TempDir
    Path dir;

    @Test
    void wrongPasswordIsRefusedAndNeverLogged() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir)) {
            pop.context.failedLoginDelay(Duration.ofMillis(10));
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.line();
                c.send("USER " + USER);
                assertThat(c.send("PASS wrong-Guess-42")).isEqualTo("-ERR [AUTH] authentication failed");
                c.send("USER nobody");
                assertThat(c.send("PASS other-Guess-43")).isEqualTo("-ERR [AUTH] authentication failed");
                c.send("USER " + USER);
                assertThat(c.send("PASS third-Guess-44"))
                        .isEqualTo("-ERR [AUTH] authentication failed; too many failures");
                assertThat(c.closed()).isTrue();
            }
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.line();
                c.send("USER " + USER);
                assertThat(c.send("PASS " + PASSWORD)).startsWith("+OK");
                assertThat(c.send("QUIT")).startsWith("+OK");
            }
            pop.awaitLog("pop3 logout user alice");
            assertThat(pop.log()).contains("pop3 login failed user alice from 127.0.0.1: wrong password",
                    "pop3 login failed user nobody from 127.0.0.1: no such user");
            assertThat(pop.log()).doesNotContain("Guess", PASSWORD);
        }
    }

    @Test
    void aFloodOfFailedLoginsLocksTheClientOutWithoutCrashing() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir)) {
            pop.context.failedLoginDelay(Duration.ZERO);
            int failures = 0;
            while (failures < FailedLogins.MAX_PER_CLIENT) {
                try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                    c.line();
                    for (int i = 0; i < Pop3Session.MAX_FAILURES_PER_SESSION
                            && failures < FailedLogins.MAX_PER_CLIENT; i++, failures++) {
                        c.send("USER " + USER);
                        assertThat(c.send("PASS flood-" + failures)).startsWith("-ERR [AUTH] authentication failed");
                    }
                }
            }
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.line();
                c.send("USER " + USER);
                assertThat(c.send("PASS " + PASSWORD)).as("even the right password, while locked out")
                        .isEqualTo("-ERR [AUTH] too many failed logins from your address; try later");
                assertThat(c.send("CAPA")).as("the server still serves").startsWith("+OK");
            }
            pop.awaitLog("too many failed logins from this address");
            assertThat(pop.log()).doesNotContain("flood-", PASSWORD).doesNotContain("Exception");
        }
    }

    @Test
    void failedLoginsAreAnsweredAfterADelay() throws Exception {
        assertThat(Pop3Context.FAILED_LOGIN_DELAY).isEqualTo(Duration.ofSeconds(2));
        try (Pop3Fixture pop = Pop3Fixture.start(dir)) {
            pop.context.failedLoginDelay(Duration.ofDays(1));
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.line();
                c.send("USER " + USER);
                c.write("PASS wrong\r\n");
                c.readTimeout(Duration.ofSeconds(1));
                assertThat(c.closed()).as("no answer while the delay runs").isFalse();
            }
        }
    }

    @Test
    void plaintextLoginsNeedTlsFromOtherAddresses() throws Exception {
        // The listener trusts PROXY headers from loopback, so a client can appear to come from afar.
        try (Pop3Fixture pop = Pop3Fixture.start(dir,
                Map.of("control/listen", "127.0.0.1:0 pop3 proxy=127.0.0.1"), false)) {
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.write("PROXY TCP4 192.0.2.7 127.0.0.1 40000 110\r\n");
                assertThat(c.line()).startsWith("+OK");
                assertThat(c.send("CAPA")).startsWith("+OK");
                assertThat(c.lines()).contains("STLS").doesNotContain("USER");
                assertThat(c.send("USER " + USER))
                        .isEqualTo("-ERR [AUTH] plaintext login needs TLS: use STLS first");
                assertThat(c.send("PASS " + PASSWORD)).isEqualTo("-ERR USER first");
            }
        }
        Path other = dir.resolve("plaintext");
        try (Pop3Fixture pop = Pop3Fixture.start(other, Map.of("control/listen",
                "127.0.0.1:0 pop3 proxy=127.0.0.1", "control/pop3plaintext", "1"), false)) {
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.write("PROXY TCP4 192.0.2.7 127.0.0.1 40000 110\r\n");
                c.line();
                assertThat(c.send("USER " + USER)).isEqualTo("+OK send PASS");
                assertThat(c.send("PASS " + PASSWORD)).startsWith("+OK");
                assertThat(c.send("QUIT")).startsWith("+OK");
            }
            pop.awaitLog("pop3 login user alice from 192.0.2.7");
        }
    }

    @Test
    void apopLogsInWithTheGreetingTimestamp() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir, Map.of(), true)) {
            String first;
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                first = c.line();
                assertThat(first).matches("\\+OK qflux POP3 server ready <\\d+\\.\\d+@pop\\.example\\.test>");
                String timestamp = first.substring(first.indexOf('<'));
                assertThat(c.send("APOP " + USER + " " + TestAuthenticator.apopDigest(timestamp, "wrong")))
                        .isEqualTo("-ERR [AUTH] authentication failed");
                assertThat(c.send("APOP " + USER + " " + TestAuthenticator.apopDigest(timestamp, PASSWORD)))
                        .startsWith("+OK 0 messages");
                assertThat(c.send("QUIT")).startsWith("+OK");
            }
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                assertThat(c.line()).as("every timestamp differs (RFC 1939 section 7)").isNotEqualTo(first);
            }
        }
    }

    @Test
    void anIdleClientIsLoggedOutAndNothingIsDeleted() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir, Map.of("control/timeoutpop3", "1"), false)) {
            Files.writeString(pop.maildir.resolve("new/1.A.host"), "Subject: a\n\nx\n", StandardCharsets.UTF_8);
            try (RawPop3Client c = new RawPop3Client(pop.plain())) {
                c.line();
                c.send("USER " + USER);
                c.send("PASS " + PASSWORD);
                assertThat(c.send("DELE 1")).startsWith("+OK");
                assertThat(c.line()).isEqualTo("-ERR autologout: idle for too long");
                assertThat(c.closed()).isTrue();
            }
            pop.awaitLog("deleted 0 (no QUIT: nothing deleted)");
            assertThat(pop.messageFiles()).containsExactly("1.A.host:2,");
        }
    }

    @Test
    void aProxyHeaderThatNeverComesTimesOut() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir, Map.of("control/listen", "127.0.0.1:0 pop3 proxy=127.0.0.1",
                "control/timeoutpop3", "1"), false);
             RawPop3Client c = new RawPop3Client(pop.plain())) {
            assertThat(c.closed()).as("closed without a greeting").isTrue();
        }
    }
}
