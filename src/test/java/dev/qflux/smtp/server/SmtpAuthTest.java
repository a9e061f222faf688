package dev.qflux.smtp.server;

import static dev.qflux.smtp.server.SecurityFixture.PASSWORD;
import static dev.qflux.smtp.server.SecurityFixture.b64;
import static dev.qflux.smtp.server.SecurityFixture.plain;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMTP AUTH (RFC 4954) with PLAIN and LOGIN against a server in this JVM. */
class SmtpAuthTest {
    /** tcp.smtp without RELAYCLIENT: only AUTH can make relaying possible. */
    static final String NO_RELAY = ":allow";

    @TempDir
    Path dir;
    SecurityFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private TlsTestClient ehlo(TlsTestClient c) throws Exception {
        c.send("EHLO client.test\r\n");
        c.reply();
        return c;
    }

    @Test
    void notOfferedWithoutTlsToARemoteClientButAfterStartTls() throws Exception {
        // A trusted PROXY header makes the client 192.0.2.9: not loopback.
        f = SecurityFixture.start(dir, Map.of("control/listen", "127.0.0.1:0 smtp proxy=127.0.0.1/32",
                "tcp.smtp", NO_RELAY));
        try (TlsTestClient c = TlsTestClient.connect(f.server.address())) {
            c.send("PROXY TCP4 192.0.2.9 127.0.0.1 40000 25\r\n");
            assertThat(c.line()).startsWith("220 ");
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).noneMatch(l -> l.contains("AUTH")).anyMatch(l -> l.contains("STARTTLS"));
            assertThat(c.command("AUTH PLAIN " + plain("alice", PASSWORD)))
                    .isEqualTo("538 5.7.11 encryption required for requested authentication mechanism");
            assertThat(c.command("STARTTLS")).startsWith("220");
            c.handshake();
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).contains("250 AUTH PLAIN LOGIN");
            assertThat(c.command("AUTH PLAIN " + plain("alice", PASSWORD))).isEqualTo("235 2.7.0 authentication successful");
        }
    }

    @Test
    void loopbackClientsMayAuthenticateWithoutTlsUnlessDenied() throws Exception {
        f = SecurityFixture.withoutCertificate(dir.resolve("a"), Map.of("tcp.smtp", NO_RELAY));
        try (TlsTestClient c = f.connect()) {
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).contains("250 AUTH PLAIN LOGIN");
        }
        f.close();
        f = SecurityFixture.withoutCertificate(dir.resolve("b"), Map.of("control/authplaintext", "deny"));
        try (TlsTestClient c = f.connect()) {
            c.send("EHLO client.test\r\n");
            assertThat(c.reply()).noneMatch(l -> l.contains("AUTH"));
            assertThat(c.command("AUTH LOGIN")).startsWith("538 5.7.11");
        }
    }

    @Test
    void everyErrorReply() throws Exception {
        f = SecurityFixture.withoutCertificate(dir, Map.of("tcp.smtp", NO_RELAY));
        try (TlsTestClient c = f.connect()) {
            assertThat(c.command("AUTH PLAIN")).isEqualTo("503 5.5.1 EHLO first");
            ehlo(c);
            assertThat(c.command("AUTH")).isEqualTo("501 5.5.4 syntax: AUTH mechanism [initial-response]");
            assertThat(c.command("AUTH CRAM-MD5")).isEqualTo("504 5.5.4 unrecognized authentication type");
            assertThat(c.command("AUTH PLAIN not*base64")).isEqualTo("501 5.5.2 cannot decode response");
            assertThat(c.command("AUTH PLAIN " + b64("no-nuls-here"))).isEqualTo("501 5.5.2 cannot decode response");
            assertThat(c.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(c.command("*")).isEqualTo("501 5.0.0 authentication cancelled");
            assertThat(c.command("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(c.command("%%%")).isEqualTo("501 5.5.2 cannot decode response");
            assertThat(c.command("AUTH PLAIN " + plain("alice", "wrong"))).isEqualTo("535 5.7.8 authentication credentials invalid");
            assertThat(c.command("AUTH PLAIN " + b64("bob\0alice\0" + PASSWORD))).startsWith("535 5.7.8");
            assertThat(c.command("MAIL FROM:<a@example.test>")).startsWith("250");
            assertThat(c.command("AUTH PLAIN " + plain("alice", PASSWORD)))
                    .isEqualTo("503 5.5.1 AUTH not permitted during a mail transaction");
            assertThat(c.command("RSET")).startsWith("250");
            assertThat(c.command("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(c.command(plain("alice", PASSWORD))).isEqualTo("235 2.7.0 authentication successful");
            assertThat(c.command("AUTH PLAIN " + plain("alice", PASSWORD))).isEqualTo("503 5.5.1 already authenticated");
        }
    }

    @Test
    void loginMechanismAndRelayOnlyAfterAuth() throws Exception {
        f = SecurityFixture.withoutCertificate(dir, Map.of("tcp.smtp", NO_RELAY));
        try (TlsTestClient c = f.connect()) {
            ehlo(c);
            assertThat(c.command("MAIL FROM:<a@example.test>")).startsWith("250");
            assertThat(c.command("RCPT TO:<someone@elsewhere.test>")).startsWith("553 5.7.1");
            assertThat(c.command("RSET")).startsWith("250");
            assertThat(c.command("AUTH LOGIN " + b64("alice"))).isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(c.command(b64(PASSWORD))).isEqualTo("235 2.7.0 authentication successful");
            assertThat(c.command("MAIL FROM:<alice@example.test> AUTH=alice+2Bx@example.test")).startsWith("250");
            assertThat(c.command("RCPT TO:<someone@elsewhere.test>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.command("Subject: relayed\r\n\r\nhi\r\n.")).startsWith("250 2.0.0 ok");
        }
        String body = f.server.body(f.server.entries().get(0));
        assertThat(body).contains("with ESMTPA;");
    }

    @Test
    void authParameterOfMailIsAcceptedAsXtext() throws Exception {
        f = SecurityFixture.withoutCertificate(dir, Map.of());
        try (TlsTestClient c = f.connect()) {
            ehlo(c);
            assertThat(c.command("MAIL FROM:<a@example.test> AUTH=<>")).startsWith("250");
            assertThat(c.command("RSET")).startsWith("250");
            assertThat(c.command("MAIL FROM:<a@example.test> AUTH=a+2")).startsWith("501");
        }
    }

    @Test
    void submissionListenerRequiresAuthBeforeMail() throws Exception {
        f = SecurityFixture.withoutCertificate(dir, Map.of("control/listen", "127.0.0.1:0 smtp auth=required"));
        try (TlsTestClient c = f.connect()) {
            ehlo(c);
            assertThat(c.command("MAIL FROM:<a@example.test>")).isEqualTo("530 5.7.0 authentication required");
            assertThat(c.command("AUTH PLAIN " + plain("alice", PASSWORD))).startsWith("235");
            assertThat(c.command("MAIL FROM:<a@example.test>")).startsWith("250");
        }
    }

    @Test
    void checkerThatCannotAnswerGivesTemporaryFailure() throws Exception {
        Path prog = dir.resolve("checkpw");
        Files.createDirectories(dir);
        Files.writeString(prog, "#!/bin/sh\nexit 111\n");
        prog.toFile().setExecutable(true);
        f = SecurityFixture.withoutCertificate(dir.resolve("s"), Map.of("control/checkpassword", prog.toString()));
        try (TlsTestClient c = f.connect()) {
            ehlo(c);
            assertThat(c.command("AUTH PLAIN " + plain("alice", PASSWORD)))
                    .isEqualTo("454 4.7.0 temporary authentication failure, try later");
        }
    }

    @Test
    void passwordsNeverReachTheLog() throws Exception {
        f = SecurityFixture.withoutCertificate(dir, Map.of());
        try (TlsTestClient c = f.connect()) {
            ehlo(c);
            c.command("AUTH PLAIN " + plain("alice", "Wrong-Secret-1"));
            c.command("AUTH LOGIN " + b64("alice"));
            c.command(b64("Wrong-Secret-2"));
            c.command("AUTH PLAIN " + plain("alice", PASSWORD));
            c.command("QUIT");
        }
        f.close(); // drains the log
        String log = f.server.log();
        assertThat(log).contains("auth: smtp login failed for alice from 127.0.0.1")
                .contains("auth: smtp login alice from 127.0.0.1");
        for (String secret : new String[] {"Wrong-Secret-1", "Wrong-Secret-2", PASSWORD,
                plain("alice", PASSWORD), b64("Wrong-Secret-2")}) {
            assertThat(log).doesNotContain(secret);
        }
        f = null;
    }
}
