package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.PASSWORD;
import static dev.qflux.hostile.HostileServer.STRANGER;
import static dev.qflux.hostile.HostileServer.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP AUTH (RFC 4954) misused: out of order, overlong, cancelled, badly encoded, and a password
 * guessing flood. The clients are on loopback, where control/authplaintext's default lets AUTH
 * run without TLS. After each, a normal client is served and nothing was relayed.
 */
class AuthAbuseTest {
    /** A client address of its own for the flood, so its lockout touches no other test. */
    static final String GUESSER = "127.0.0.77";
    /** control/authfailures' default: failures per address in 10 minutes before 454. */
    static final int AUTH_FAILURES = 10;

    @TempDir
    static Path dir;
    static HostileServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HostileServer.startSecure(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    @Test
    void authBeforeEhloIsRefused() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("AUTH PLAIN " + plain(USER, PASSWORD), "503 5.5.1 EHLO first");
            c.expect("HELO plain.example", "250");
            c.expect("AUTH PLAIN " + plain(USER, PASSWORD), "503 5.5.1 EHLO first");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<someone@elsewhere.example>",
                    "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts");
        }
        assertThat(server.nothingRelayed()).isTrue();
        server.stillServes();
    }

    @Test
    void overlongBase64LineIsRefusedAndEndsTheExchange() throws Exception {
        String huge = b64("\0" + USER + "\0" + "p".repeat(6000));
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO auth.example", "250");
            c.expect("AUTH PLAIN " + huge, "500 5.5.2 line too long");
            c.expect("AUTH PLAIN", "334 ");
            c.expect(huge, "500 5.5.2 line too long");
            // The refused line was the response: the next line is a command again.
            c.expect("NOOP", "250 2.0.0 ok");
            c.expect("AUTH LOGIN", "334 VXNlcm5hbWU6");
            c.expect(huge, "500 5.5.2 line too long");
            c.expect("NOOP", "250 2.0.0 ok");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<someone@elsewhere.example>",
                    "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts");
        }
        assertThat(server.nothingRelayed()).isTrue();
        server.stillServes();
    }

    @Test
    void cancelAtEveryStepLeavesTheClientLoggedOut() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO auth.example", "250");
            c.expect("AUTH PLAIN", "334 ");
            c.expect("*", "501 5.0.0 authentication cancelled");
            c.expect("AUTH LOGIN", "334 VXNlcm5hbWU6");
            c.expect("*", "501 5.0.0 authentication cancelled");
            c.expect("AUTH LOGIN " + b64(USER), "334 UGFzc3dvcmQ6");
            c.expect("*", "501 5.0.0 authentication cancelled");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<someone@elsewhere.example>",
                    "553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts");
            c.expect("RSET", "250 2.0.0 flushed");
            c.expect("AUTH PLAIN " + plain(USER, PASSWORD), "235 2.7.0 authentication successful");
        }
        server.stillServes();
    }

    @Test
    void badBase64IsRefusedAtEveryStep() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO auth.example", "250");
            c.expect("AUTH PLAIN not*base64", "501 5.5.2 cannot decode response");
            c.expect("AUTH PLAIN " + b64("no nuls"), "501 5.5.2 cannot decode response");
            c.expect("AUTH PLAIN " + b64("\0too\0many\0nuls"), "501 5.5.2 cannot decode response");
            c.expect("AUTH PLAIN", "334 ");
            c.expect("%%%", "501 5.5.2 cannot decode response");
            c.expect("AUTH LOGIN", "334 VXNlcm5hbWU6");
            c.expect("YWxp=ZQ==", "501 5.5.2 cannot decode response");
            c.expect("AUTH LOGIN " + b64(USER), "334 UGFzc3dvcmQ6");
            c.expect("\u00e9\u00e9", "501 5.5.2 cannot decode response");
            c.expect("AUTH PLAIN " + plain(USER, PASSWORD) + " extra",
                    "501 5.5.4 syntax: AUTH mechanism [initial-response]");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        server.stillServes();
    }

    /**
     * Password guessing from one address: each wrong guess 535 until control/authfailures, then
     * 454 without checking, even for the right password; other addresses are not affected.
     */
    @Test
    void floodFromOneAddressHitsThePerClientLimit() throws Exception {
        try (Wire c = server.connect(GUESSER)) {
            c.expect("EHLO guess.example", "250");
            for (int i = 0; i < AUTH_FAILURES; i++) {
                c.expect("AUTH PLAIN " + plain(USER, "guess" + i), "535 5.7.8 authentication credentials invalid");
            }
            c.expect("AUTH PLAIN " + plain(USER, "guess-again"), "454 4.7.0 temporary authentication failure, try later");
            c.expect("AUTH PLAIN " + plain(USER, PASSWORD), "454 4.7.0 temporary authentication failure, try later");
        }
        try (Wire c = server.connect(GUESSER)) {
            c.expect("EHLO guess.example", "250");
            c.expect("AUTH LOGIN " + b64(USER), "334 UGFzc3dvcmQ6");
            c.expect(b64(PASSWORD), "454 4.7.0 temporary authentication failure, try later");
        }
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO other.example", "250");
            c.expect("AUTH PLAIN " + plain(USER, PASSWORD), "235 2.7.0 authentication successful");
        }
        assertThat(server.log()).doesNotContain(PASSWORD).doesNotContain("guess-again");
        server.stillServes();
    }
}
