package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.SecurityConfig;
import dev.qflux.config.SecurityConfig.TlsPolicy;
import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.deliver.remote.OutboundTls;
import dev.qflux.deliver.remote.RemoteOptions;
import dev.qflux.deliver.remote.RemoteResult;
import dev.qflux.deliver.remote.RemoteTarget;
import dev.qflux.deliver.remote.SmtpClientDelivery;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * control/tlsdestinations: qflux's SMTP client delivering to a qflux server (in this JVM) whose
 * certificate is self-signed for mx.example.test.
 */
class OutboundTlsPolicyTest {
    static final String BODY = "Subject: policy\r\n\r\nhello\r\n";

    @TempDir
    Path dir;
    SecurityFixture server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RecipientOutcome deliver(TlsPolicy policy, Path ca, String mxName) throws Exception {
        SecurityConfig security = new SecurityConfig(null, null, List.of(), SecurityConfig.AuthPlaintext.LOOPBACK,
                Duration.ZERO, 10, ca, Map.of("example.test", policy));
        RemoteOptions options = new RemoteOptions("client.test", Duration.ofSeconds(10), Duration.ofSeconds(30),
                0, Duration.ofSeconds(1), true, null);
        InetSocketAddress address = server.server.address();
        try (SmtpClientDelivery client = SmtpClientDelivery.create(options, OutboundTls.from(security))) {
            RemoteResult r = client.deliver(new RemoteTarget("example.test",
                            List.of(new RemoteTarget.Host(mxName, address))), "sender@client.test",
                    List.of("rcpt@example.test"), BODY.length(),
                    () -> Flux.just(Unpooled.copiedBuffer(BODY, StandardCharsets.US_ASCII)))
                    .block(Duration.ofSeconds(60));
            return r.recipients().get(0);
        }
    }

    private Path caOfServer() throws Exception {
        Path ca = dir.resolve("tlsca.pem");
        Files.copy(dir.resolve("server/cert/mx.example.test.crt"), ca);
        return ca;
    }

    @Test
    void mayDeliversOverTlsWithAnyCertificate() throws Exception {
        server = SecurityFixture.start(dir.resolve("server"), Map.of());
        assertThat(deliver(TlsPolicy.MAY, null, "mx.example.test")).isInstanceOf(RecipientOutcome.Delivered.class);
        server.close();
        assertThat(server.server.body(server.server.entries().get(0))).contains("with ESMTPS (TLSv1.");
        server = null;
    }

    @Test
    void verifyDefersUntilTheCaIsTrustedAndTheNameMatches() throws Exception {
        server = SecurityFixture.start(dir.resolve("server"), Map.of());
        RecipientOutcome untrusted = deliver(TlsPolicy.VERIFY, null, "mx.example.test");
        assertThat(untrusted).isInstanceOf(RecipientOutcome.Deferred.class);
        assertThat(((RecipientOutcome.Deferred) untrusted).text())
                .contains("TLS is required for this destination").contains("TLS handshake failed").contains("#4.7.5");
        Path ca = caOfServer();
        RecipientOutcome wrongName = deliver(TlsPolicy.VERIFY, ca, "other.example.test");
        assertThat(wrongName).isInstanceOf(RecipientOutcome.Deferred.class);
        assertThat(deliver(TlsPolicy.VERIFY, ca, "mx.example.test")).isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(server.server.queued()).isEqualTo(1);
    }

    @Test
    void encryptDefersWhenStartTlsIsNotOffered() throws Exception {
        server = SecurityFixture.withoutCertificate(dir.resolve("server"), Map.of());
        RecipientOutcome r = deliver(TlsPolicy.ENCRYPT, null, "mx.example.test");
        assertThat(r).isInstanceOf(RecipientOutcome.Deferred.class);
        assertThat(((RecipientOutcome.Deferred) r).text()).contains("STARTTLS was not offered").contains("#4.7.5");
        assertThat(deliver(TlsPolicy.MAY, null, "mx.example.test")).isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(deliver(TlsPolicy.NONE, null, "mx.example.test")).isInstanceOf(RecipientOutcome.Delivered.class);
    }

    @Test
    void port465SmarthostSpeaksTlsFromTheFirstByte() throws Exception {
        try {
            server = SecurityFixture.start(dir.resolve("server"), Map.of("control/listen", "127.0.0.1:465 smtps"));
        } catch (RuntimeException e) {
            Assumptions.assumeTrue(false, "127.0.0.1:465 is not free here: " + e.getMessage());
        }
        assertThat(deliver(TlsPolicy.MAY, null, "mx.example.test")).isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(deliver(TlsPolicy.VERIFY, caOfServer(), "mx.example.test"))
                .isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(server.server.queued()).isEqualTo(2);
    }
}
