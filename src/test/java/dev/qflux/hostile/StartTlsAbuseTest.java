package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * STARTTLS (RFC 3207) misused: commands injected behind it, a second one, one in the middle of a
 * transaction, and plain text where the handshake should be. After each, a normal client is served.
 */
class StartTlsAbuseTest {
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

    /** CVE-2011-0411: plain-text commands pipelined behind STARTTLS must not run under TLS. */
    @Test
    void pipelinedInjectionIsDiscarded() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO tls.example", "250");
            c.raw("STARTTLS\r\nMAIL FROM:<evil@example.org>\r\nRCPT TO:<victim@localhost>\r\nDATA\r\n");
            assertThat(c.reply()).isEqualTo("220 2.0.0 ready to start TLS");
            assertThat(c.startTls()).isIn("TLSv1.3", "TLSv1.2");
            c.expect("RCPT TO:<victim@localhost>", "503 5.5.1 MAIL first");
            c.expect("DATA", "503 5.5.1 MAIL first");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void secondStartTlsIsRefused() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO tls.example", "250");
            c.expect("STARTTLS", "220 2.0.0 ready to start TLS");
            c.startTls();
            c.expect("STARTTLS", "503 5.5.1 TLS already active");
            String ehlo = c.command("EHLO tls.example");
            assertThat(ehlo).startsWith("250-mx.example.test").doesNotContain("STARTTLS").contains("AUTH PLAIN LOGIN");
            c.expect("STARTTLS", "503 5.5.1 TLS already active");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        server.stillServes();
    }

    /** The transaction begun in plain text is forgotten by the handshake (RFC 3207 section 4.2). */
    @Test
    void startTlsInsideATransactionStartsAfresh() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO tls.example", "250");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            c.expect("STARTTLS", "220 2.0.0 ready to start TLS");
            c.startTls();
            c.expect("DATA", "503 5.5.1 MAIL first");
            c.expect("RCPT TO:<b@localhost>", "503 5.5.1 MAIL first");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void garbageInsteadOfAHandshakeClosesTheConnection() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO tls.example", "250");
            c.expect("STARTTLS", "220 2.0.0 ready to start TLS");
            c.raw("MAIL FROM:<a@example.org>\r\nthis is not a TLS record\r\n");
            assertThat(c.closed()).isTrue();
        }
        server.stillServes();
    }

    @Test
    void startTlsWithParametersIsRefusedAndTheSessionGoesOn() throws Exception {
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO tls.example", "250");
            c.expect("STARTTLS now", "501 5.5.4 STARTTLS takes no parameters");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        server.stillServes();
    }
}
