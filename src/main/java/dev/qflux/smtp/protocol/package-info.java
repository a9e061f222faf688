/**
 * The server side of the SMTP protocol, without any transport: splitting command lines into verbs
 * and arguments, parsing MAIL and RCPT paths with their ESMTP parameters, decoding the DATA phase
 * (terminator and dot-unstuffing, without copying), inspecting content for bare line endings, long
 * lines and mail loops, and the replies these produce. The SMTP session drives them from its Netty
 * pipeline; everything here is plain state and can be tested byte by byte.
 */
package dev.qflux.smtp.protocol;
