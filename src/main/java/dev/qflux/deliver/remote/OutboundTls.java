package dev.qflux.deliver.remote;

import dev.qflux.config.SecurityConfig;
import dev.qflux.config.SecurityConfig.TlsPolicy;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Function;
import javax.net.ssl.SSLException;

/**
 * The TLS the SMTP client uses per destination (control/tlsdestinations): none, may
 * (opportunistic, RFC 7435), encrypt (TLS required, any certificate) or verify (TLS required, a
 * chain trusted by control/tlsca.pem or the JDK's trust store, issued for the MX host's name).
 * TLS 1.2 and 1.3 only (RFC 8996). Port 465 in smtproutes means implicit TLS (RFC 8314).
 */
public final class OutboundTls {
    /** RFC 8314 section 3.3: the submissions port, where TLS starts at connect. */
    public static final int IMPLICIT_TLS_PORT = 465;
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslContext anyCertificate;
    private final SslContext verified;
    private final Function<String, TlsPolicy> policy;

    private OutboundTls(SslContext anyCertificate, SslContext verified, Function<String, TlsPolicy> policy) {
        this.anyCertificate = anyCertificate;
        this.verified = verified;
        this.policy = policy;
    }

    /** qflux's behaviour without control/tlsdestinations: STARTTLS when offered, or never. */
    static OutboundTls opportunistic(boolean enabled) {
        TlsPolicy p = enabled ? TlsPolicy.MAY : TlsPolicy.NONE;
        return new OutboundTls(anyCertificate(), null, d -> p);
    }

    /**
     * From control/tlsdestinations and control/tlsca.pem. Blocking file reads.
     *
     * @throws IOException naming tlsca.pem when it holds no usable certificate
     */
    public static OutboundTls from(SecurityConfig config) throws IOException {
        return new OutboundTls(anyCertificate(), verifying(config.tlsCa()), config::tlsPolicyFor);
    }

    TlsPolicy policyFor(String domain) {
        return policy.apply(domain);
    }

    /** The context for a policy: a verifying one for VERIFY, else one that checks nothing. */
    SslContext context(TlsPolicy p) {
        return p == TlsPolicy.VERIFY && verified != null ? verified : anyCertificate;
    }

    private static SslContext anyCertificate() {
        try {
            return SslContextBuilder.forClient()
                    .trustManager(InsecureTrustManagerFactory.INSTANCE)
                    .endpointIdentificationAlgorithm(null)
                    .protocols(PROTOCOLS)
                    .build();
        } catch (SSLException e) {
            throw new IllegalStateException("no TLS client available", e);
        }
    }

    private static SslContext verifying(Path ca) throws IOException {
        try {
            SslContextBuilder b = SslContextBuilder.forClient()
                    // RFC 6125 / RFC 7672's "verify": the certificate must name the host we asked for.
                    .endpointIdentificationAlgorithm("HTTPS")
                    .protocols(PROTOCOLS);
            if (ca != null) {
                b.trustManager(ca.toFile());
            }
            return b.build();
        } catch (SSLException | RuntimeException e) {
            throw new IOException(ca + ": not usable as trusted certificates: " + e.getMessage(), e);
        }
    }
}
