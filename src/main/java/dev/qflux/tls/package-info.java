/**
 * The server side of TLS for every listener: the certificate and key from
 * {@code control/servercert.pem}, TLS 1.2 and 1.3 only, a handler per connection for STARTTLS
 * (RFC 3207) or implicit TLS (RFC 8314), and a reload that picks up a renewed certificate for
 * new connections.
 */
package dev.qflux.tls;
