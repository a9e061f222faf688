/**
 * The POP3 service (qmail-popup + qmail-pop3d, RFC 1939 with RFC 2449 CAPA and RFC 2595 STLS):
 * listeners on Reactor Netty beside SMTP's, logins through the shared
 * {@link dev.qflux.auth.Authenticator}, and a locked Maildir read and changed only on a bounded
 * scheduler of its own, never on an event loop. Deletions happen only after QUIT.
 */
package dev.qflux.pop3;
