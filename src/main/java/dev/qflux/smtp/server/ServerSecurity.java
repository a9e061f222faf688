package dev.qflux.smtp.server;

import dev.qflux.auth.Authenticator;
import dev.qflux.tls.ServerTls;

/**
 * What the SMTP listeners use for TLS and AUTH, built by the daemon from the configuration.
 *
 * @param tls           the server certificate, or null: no STARTTLS and no smtps listeners
 * @param authenticator the login checker, or null: AUTH is not offered
 */
public record ServerSecurity(ServerTls tls, Authenticator authenticator) {
    public static final ServerSecurity NONE = new ServerSecurity(null, null);
}
