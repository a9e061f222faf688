package dev.qflux.pop3;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * The server side of TLS for STLS and pop3s listeners, from control/servercert.pem: the
 * certificate chain and the private key in one PEM file, as qmail's TLS patch keeps them.
 */
final class ServerTls {
    /** TLS 1.2 and 1.3 only (RFC 8996 retires TLS 1.0 and 1.1). */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private ServerTls() {
    }

    /** Reads the PEM file (blocking: at start-up only). */
    static SslContext load(Path pem) {
        try (InputStream certs = Files.newInputStream(pem); InputStream key = Files.newInputStream(pem)) {
            // Netty picks the CERTIFICATE blocks from the first stream and the PRIVATE KEY from the second.
            return SslContextBuilder.forServer(certs, key).protocols(PROTOCOLS).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalStateException(pem + ": not a PEM certificate chain and private key: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(pem + ": cannot read: " + e.getMessage(), e);
        }
    }
}
