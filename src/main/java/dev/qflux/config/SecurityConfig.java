package dev.qflux.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * TLS and login settings: the server's certificate, where passwords are checked, when AUTH is
 * offered without TLS, the brakes on password guessing, and the outbound TLS policy.
 *
 * @param serverCert        control/servercert.pem (private key and certificate chain in one PEM
 *                          file, the name qmail's TLS patch used), or null: no STARTTLS, no smtps
 * @param passwordFile      control/passwords (qflux's own file, see docs/security.md), or null
 * @param checkpassword     control/checkpassword: a checkpassword-compatible program and its
 *                          arguments, or empty
 * @param authPlaintext     control/authplaintext: when AUTH is offered on a connection without TLS
 * @param authFailureDelay  control/authfaildelay (seconds, default 2): wait before answering a
 *                          failed login
 * @param authFailuresPerIp control/authfailures (default 10): failed logins one client address may
 *                          make within {@link #FAILURE_WINDOW} before every login from it is refused
 * @param tlsCa             control/tlsca.pem: trusted CAs for {@code verify} destinations, or null
 *                          for the JDK's trust store
 * @param tlsDestinations   control/tlsdestinations: outbound TLS policy by domain ("" = default)
 */
public record SecurityConfig(Path serverCert, Path passwordFile, List<String> checkpassword,
                             AuthPlaintext authPlaintext, Duration authFailureDelay,
                             int authFailuresPerIp, Path tlsCa,
                             Map<String, TlsPolicy> tlsDestinations) {
    /** How long failed logins are remembered per client address (as fail2ban's default findtime). */
    public static final Duration FAILURE_WINDOW = Duration.ofMinutes(10);

    /** No TLS, no AUTH, opportunistic outbound TLS: what a conf/ without these files means. */
    public static final SecurityConfig NONE = new SecurityConfig(null, null, List.of(),
            AuthPlaintext.LOOPBACK, Duration.ofSeconds(2), 10, null, Map.of());

    public SecurityConfig {
        checkpassword = List.copyOf(checkpassword);
        tlsDestinations = Map.copyOf(tlsDestinations);
    }

    /** True when some checker is configured, so AUTH can be offered. */
    public boolean authConfigured() {
        return passwordFile != null || !checkpassword.isEmpty();
    }

    /** The outbound policy for {@code domain}: its own line, else the default line, else MAY. */
    public TlsPolicy tlsPolicyFor(String domain) {
        TlsPolicy p = tlsDestinations.get(domain.toLowerCase(Locale.ROOT));
        if (p == null) {
            p = tlsDestinations.get("");
        }
        return p == null ? TlsPolicy.MAY : p;
    }

    /** When AUTH may be used on a connection that is not encrypted (RFC 4954 section 4, 14). */
    public enum AuthPlaintext {
        /** Only from loopback clients (local webmail, scripts): the default. */
        LOOPBACK,
        /** From anyone: passwords cross the network in clear text. */
        ALLOW,
        /** Never: AUTH only after STARTTLS or on an smtps listener. */
        DENY
    }

    /** Outbound TLS policy for one destination (Postfix's smtp_tls_security_level names). */
    public enum TlsPolicy {
        /** Never STARTTLS. */
        NONE,
        /** STARTTLS when offered, no certificate check, plain text when it fails (RFC 7435). */
        MAY,
        /** STARTTLS required, no certificate check: defer when it is not offered or fails. */
        ENCRYPT,
        /** STARTTLS required, certificate chain trusted and issued for the MX host's name. */
        VERIFY
    }
}
