package dev.qflux.smtp.server;

import dev.qflux.auth.Authenticator;
import dev.qflux.config.SecurityConfig;

/**
 * The TLS and AUTH state of one SMTP session: what may be offered, whether TLS is up, and who
 * logged in. Event-loop confined.
 */
final class SessionSecurity {
    /** A certificate is configured, so STARTTLS can be offered. */
    final boolean tlsAvailable;
    /** Null when AUTH is not configured. */
    final Authenticator authenticator;
    final SecurityConfig.AuthPlaintext plaintext;
    final boolean loopbackClient;
    /** The listener says {@code auth=required} (a submission port): MAIL needs AUTH first. */
    final boolean authRequired;
    boolean inTls;
    /** "TLSv1.3 TLS_AES_256_GCM_SHA384" once the handshake is done. */
    String tlsDescription;
    /** The account that logged in, or null. */
    String authUser;

    SessionSecurity(boolean tlsAvailable, Authenticator authenticator, SecurityConfig.AuthPlaintext plaintext,
                    boolean loopbackClient, boolean authRequired, boolean implicitTls) {
        this.tlsAvailable = tlsAvailable;
        this.authenticator = authenticator;
        this.plaintext = plaintext;
        this.loopbackClient = loopbackClient;
        this.authRequired = authRequired;
        this.inTls = implicitTls;
    }

    static SessionSecurity none() {
        return new SessionSecurity(false, null, SecurityConfig.AuthPlaintext.LOOPBACK, false, false, false);
    }

    boolean startTlsOffered() {
        return tlsAvailable && !inTls;
    }

    /** RFC 4954 section 4: plain-text mechanisms only over TLS, unless control/authplaintext allows. */
    boolean authAllowed() {
        return inTls || plaintext == SecurityConfig.AuthPlaintext.ALLOW
                || (plaintext == SecurityConfig.AuthPlaintext.LOOPBACK && loopbackClient);
    }

    boolean authOffered() {
        return authenticator != null && authAllowed();
    }

    /** RFC 3848 protocol names: ESMTPS, ESMTPA, ESMTPSA, with the TLS version and cipher. */
    String protocol(boolean esmtp) {
        String p = (esmtp ? "ESMTP" : "SMTP") + (inTls && esmtp ? "S" : "") + (authUser != null ? "A" : "");
        return tlsDescription == null ? p : p + " (" + tlsDescription + ")";
    }
}
