package dev.qflux.pop3;

import static dev.qflux.pop3.Pop3Fixture.PASSWORD;
import static dev.qflux.pop3.Pop3Fixture.USER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qflux.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** STLS (RFC 2595), the session limit, and what happens without a certificate. */
class Pop3TlsTest {
    @TempDir
    Path dir;

    @Test
    void commandsPipelinedBehindStlsAreDroppedNotRunInsideTls() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir);
             RawPop3Client c = new RawPop3Client(pop.plain())) {
            c.line();
            c.write("STLS\r\nUSER " + USER + "\r\n");
            assertThat(c.line()).isEqualTo("+OK begin TLS negotiation");
            c.startTls();
            assertThat(c.send("PASS " + PASSWORD)).as("the USER sent in the clear was dropped")
                    .isEqualTo("-ERR USER first");
            assertThat(c.send("CAPA")).startsWith("+OK");
            assertThat(c.lines()).contains("USER").doesNotContain("STLS");
            assertThat(c.send("STLS")).isEqualTo("-ERR already using TLS");
            c.send("USER " + USER);
            assertThat(c.send("PASS " + PASSWORD)).startsWith("+OK 0 messages");
            assertThat(c.send("QUIT")).startsWith("+OK");
        }
    }

    @Test
    void withoutACertificateThereIsNoStlsAndNoPop3s() throws Exception {
        Path conf = dir.resolve("conf/control");
        Files.createDirectories(conf);
        Files.writeString(conf.resolve("me"), "pop.example.test\n");
        Files.writeString(conf.resolve("listen"), "127.0.0.1:0 pop3\n");
        var config = ConfigLoader.load(dir.resolve("conf"));
        var auth = new TestAuthenticator();
        var log = new dev.qflux.log.LogSink(java.io.OutputStream.nullOutputStream());
        try (Pop3Context ctx = new Pop3Context(config, auth, false, log, Clock.systemUTC());
             Pop3Server server = Pop3Server.start(ctx, config.listeners());
             RawPop3Client c = new RawPop3Client(server.addresses().get(0))) {
            c.line();
            assertThat(c.send("CAPA")).startsWith("+OK");
            assertThat(c.lines()).doesNotContain("STLS");
            assertThat(c.send("STLS")).isEqualTo("-ERR STLS not available");
        }
        Files.writeString(conf.resolve("listen"), "127.0.0.1:0 pop3s\n");
        var tlsOnly = ConfigLoader.load(dir.resolve("conf"));
        try (Pop3Context ctx = new Pop3Context(tlsOnly, auth, false, log, Clock.systemUTC())) {
            assertThatThrownBy(() -> Pop3Server.start(ctx, tlsOnly.listeners()))
                    .hasMessageContaining("needs control/servercert.pem");
        }
        log.close();
    }

    @Test
    void sessionsBeyondConcurrencypop3AreTurnedAway() throws Exception {
        try (Pop3Fixture pop = Pop3Fixture.start(dir, Map.of("control/concurrencypop3", "1"), false);
             RawPop3Client first = new RawPop3Client(pop.plain())) {
            assertThat(first.line()).startsWith("+OK");
            try (RawPop3Client second = new RawPop3Client(pop.plain())) {
                assertThat(second.line()).isEqualTo("-ERR [SYS/TEMP] too many POP3 sessions; try again later");
                assertThat(second.closed()).isTrue();
            }
            assertThat(first.send("QUIT")).isEqualTo("+OK bye");
        }
    }
}
