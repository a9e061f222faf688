package dev.qflux.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * The server's TLS context, built from one PEM file holding the private key (PKCS#8, "BEGIN
 * PRIVATE KEY", as openssl 3 writes it) and the certificate chain, leaf first. Thread-safe:
 * {@link #reload()} swaps the context whole; connections already open keep theirs.
 */
public final class ServerTls {
    /** RFC 8996 deprecates TLS 1.0 and 1.1; RFC 8314 section 4.1 asks for 1.2 or later. */
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final Path pem;
    private final AtomicReference<SslContext> context;

    private ServerTls(Path pem, SslContext context) {
        this.pem = pem;
        this.context = new AtomicReference<>(context);
    }

    /**
     * Reads {@code pem}. Blocking file reads: call at start-up or on a blocking thread.
     *
     * @throws IOException naming the file when it cannot be read or holds no usable key and chain
     */
    public static ServerTls load(Path pem) throws IOException {
        return new ServerTls(pem, build(pem));
    }

    /** Rereads the PEM file (a renewed certificate); on failure the old context stays in use. */
    public void reload() throws IOException {
        context.set(build(pem));
    }

    /** A handler for one new connection, server side. */
    public SslHandler newHandler(ByteBufAllocator alloc) {
        return context.get().newHandler(alloc);
    }

    /** "TLSv1.3 TLS_AES_256_GCM_SHA384": what the Received line and the log record. */
    public static String describe(SslHandler handler) {
        SSLSession s = handler.engine().getSession();
        return s.getProtocol() + " " + s.getCipherSuite();
    }

    private static SslContext build(Path pem) throws IOException {
        try (InputStream chain = Files.newInputStream(pem); InputStream key = Files.newInputStream(pem)) {
            // Netty's default suites for the JDK provider: ECDHE with AES-GCM or ChaCha20 only.
            return SslContextBuilder.forServer(chain, key)
                    .sslProvider(SslProvider.JDK)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (IOException e) {
            throw new IOException(pem + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(pem + ": not a usable PEM key and certificate chain: " + e.getMessage(), e);
        }
    }
}
