/**
 * The SMTP service (qmail-smtpd behind tcpserver): listeners on Reactor Netty, PROXY protocol
 * from trusted balancers, tcp.smtp access rules and session limits, the RFC 5321 session state
 * machine ({@code SmtpSession}) and its transport ({@code SmtpChannelHandler}), STARTTLS, smtps
 * and AUTH ({@code AuthExchange}, docs/security.md), and the hand-off
 * of each message to the spool, whose durable completion is the only source of a {@code 250}.
 */
package dev.qflux.smtp.server;
