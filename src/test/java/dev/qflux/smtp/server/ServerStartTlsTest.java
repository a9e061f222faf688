package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STARTTLS (RFC 3207) and smtps (RFC 8314) against a server in this JVM. */
class ServerStartTlsTest {
    @TempDir
    Path dir;
    SecurityFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void ehloOffersStartTlsOnlyWithACertificateAndBeforeTls() throws Exception {
        f = SecurityFixture.withoutCertificate(dir.resolve("a"), Map.of());
        try (TlsTestClient c = f.connect()) {
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).noneMatch(l -> l.contains("STARTTLS"));
            assertThat(c.command("STARTTLS")).isEqualTo("502 5.5.1 unimplemented");
        }
        f.close();
        f = SecurityFixture.start(dir.resolve("b"), Map.of());
        try (TlsTestClient c = f.connect()) {
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).contains("250-STARTTLS");
            assertThat(c.command("STARTTLS now")).isEqualTo("501 5.5.4 STARTTLS takes no parameters");
            assertThat(c.command("STARTTLS")).isEqualTo("220 2.0.0 ready to start TLS");
            assertThat(c.handshake()).isIn("TLSv1.3", "TLSv1.2");
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).noneMatch(l -> l.contains("STARTTLS")).anyMatch(l -> l.contains("AUTH PLAIN LOGIN"));
            assertThat(c.command("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
        }
    }

    @Test
    void commandsPipelinedBehindStartTlsAreDiscarded() throws Exception {
        f = SecurityFixture.start(dir, Map.of());
        try (TlsTestClient c = f.connect()) {
            c.send("EHLO client.test\r\n");
            c.reply();
            // CVE-2011-0411: these plain-text commands must not run inside the TLS session.
            c.send("STARTTLS\r\nMAIL FROM:<evil@example.test>\r\nRCPT TO:<x@example.test>\r\n");
            assertThat(c.line()).isEqualTo("220 2.0.0 ready to start TLS");
            c.handshake();
            c.send("EHLO client.test\r\n");
            assertThat(c.reply().get(0)).startsWith("250-mx.example.test");
            assertThat(c.command("RCPT TO:<x@example.test>")).isEqualTo("503 5.5.1 MAIL first");
        }
        assertThat(f.server.queued()).isZero();
    }

    @Test
    void tlsResetsTheSessionAndTheReceivedLineNamesTheCipher() throws Exception {
        f = SecurityFixture.start(dir, Map.of());
        try (TlsTestClient c = f.connect()) {
            c.send("EHLO client.test\r\n");
            c.reply();
            assertThat(c.command("MAIL FROM:<a@example.test>")).startsWith("250");
            assertThat(c.command("STARTTLS")).startsWith("220");
            c.handshake();
            assertThat(c.command("RCPT TO:<x@example.test>")).isEqualTo("503 5.5.1 MAIL first");
            c.send("EHLO client.test\r\n");
            c.reply();
            assertThat(c.command("MAIL FROM:<a@example.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<x@example.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: t\r\n\r\nhello\r\n.")).startsWith("250 2.0.0 ok");
        }
        String body = f.server.body(f.server.entries().get(0));
        assertThat(body).containsPattern("with ESMTPS \\(TLSv1\\.[23] TLS_[A-Z0-9_]+\\);");
        assertThat(f.server.log()).contains("smtpd: tls qp ");
    }

    @Test
    void aFailedHandshakeClosesTheConnection() throws Exception {
        f = SecurityFixture.start(dir, Map.of());
        try (TlsTestClient c = f.connect()) {
            assertThat(c.command("STARTTLS")).startsWith("220");
            c.send("this is not a TLS record\r\n");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void smtpsListenerSpeaksTlsFromTheFirstByte() throws Exception {
        f = SecurityFixture.start(dir, Map.of("control/listen", "127.0.0.1:0 smtps"));
        try (TlsTestClient c = TlsTestClient.connectTls(f.server.address())) {
            assertThat(c.line()).isEqualTo("220 mx.example.test ESMTP");
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).noneMatch(l -> l.contains("STARTTLS")).anyMatch(l -> l.contains("AUTH"));
            assertThat(c.command("STARTTLS")).isEqualTo("503 5.5.1 TLS already active");
            assertThat(c.command("AUTH PLAIN " + SecurityFixture.plain("alice", SecurityFixture.PASSWORD)))
                    .isEqualTo("235 2.7.0 authentication successful");
        }
    }
}
