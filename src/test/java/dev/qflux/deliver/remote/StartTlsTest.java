package dev.qflux.deliver.remote;

import static dev.qflux.deliver.remote.DeliveryFixtures.deliver;
import static dev.qflux.deliver.remote.DeliveryFixtures.only;
import static dev.qflux.deliver.remote.DeliveryFixtures.options;
import static dev.qflux.deliver.remote.DeliveryFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome.Delivered;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opportunistic STARTTLS (RFC 3207) against a server with a self-signed certificate. */
class StartTlsTest {
    private static SSLContext serverTls;

    private final SmtpClientDelivery delivery = SmtpClientDelivery.create(options(Duration.ofSeconds(30)));

    @BeforeAll
    static void certificate(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("key.pem");
        Path cert = dir.resolve("cert.pem");
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-subj", "/CN=mx.example.test", "-days", "2", "-keyout", key.toString(), "-out", cert.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).isZero();
        serverTls = ((JdkSslContext) SslContextBuilder.forServer(cert.toFile(), key.toFile())
                .sslProvider(SslProvider.JDK).build()).context();
    }

    @AfterEach
    void close() {
        delivery.close();
    }

    @Test
    void upgradesTheSessionAndSaysEhloAgain() throws Exception {
        AtomicReference<String> content = new AtomicReference<>();
        AtomicReference<String> protocol = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("PIPELINING", "STARTTLS");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 ready");
            peer.startTls(serverTls);
            protocol.set(peer.tlsProtocol());
            peer.expect("EHLO client.test");
            peer.send("250-scripted.test", "250 PIPELINING");
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.expect("DATA");
            peer.send("250 ok", "250 ok", "354 go");
            content.set(new String(peer.data(), StandardCharsets.ISO_8859_1));
            peer.send("250 ok secret");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx.example.test")),
                    List.of("a@example.test"), "Subject: tls\r\n\r\n.dot\r\n");
            assertThat(only(result)).isEqualTo(
                    new Delivered("127.0.0.1 accepted message./Remote host said: 250 ok secret"));
            assertThat(content.get()).isEqualTo("Subject: tls\r\n\r\n..dot\r\n");
            assertThat(protocol.get()).isIn("TLSv1.2", "TLSv1.3");
            delivery.close();
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void aFailedHandshakeIsRetriedOnceWithoutTlsAndSaysSo() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("STARTTLS");
            peer.expect("STARTTLS");
            peer.send("220 2.0.0 ready");
            peer.sendRaw("this is not a TLS record\r\n".getBytes(StandardCharsets.US_ASCII));
            peer.ignoreRest();
        }, peer -> {
            peer.hello("STARTTLS");
            peer.expect("MAIL"); // no second STARTTLS on the retry
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 ok plain");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx.example.test")),
                    List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isInstanceOf(Delivered.class);
            assertThat(only(result).text())
                    .startsWith("127.0.0.1 accepted message./Remote host said: 250 ok plain/")
                    .contains("TLS handshake with 127.0.0.1 failed (")
                    .endsWith("delivered without TLS")
                    .doesNotContain("\r", "\n");
            assertThat(server.accepted()).isEqualTo(2);
        }
    }
}
