package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;

/** Replies of STARTTLS (RFC 3207) and AUTH (RFC 4954), with their enhanced codes. */
final class SecurityReplies {
    private SecurityReplies() {
    }

    static final Reply TLS_READY = Reply.of(220, "2.0.0", "ready to start TLS");
    /** RFC 3207 section 4: STARTTLS takes no parameters. */
    static final Reply TLS_SYNTAX = Reply.of(501, "5.5.4", "STARTTLS takes no parameters");
    static final Reply TLS_ALREADY = Reply.of(503, "5.5.1", "TLS already active");

    static final Reply AUTH_OK = Reply.of(235, "2.7.0", "authentication successful");
    static final Reply AUTH_FAILED = Reply.of(535, "5.7.8", "authentication credentials invalid");
    static final Reply AUTH_TEMPORARY = Reply.of(454, "4.7.0", "temporary authentication failure, try later");
    static final Reply AUTH_REQUIRED = Reply.of(530, "5.7.0", "authentication required");
    static final Reply AUTH_NEEDS_TLS = Reply.of(538, "5.7.11", "encryption required for requested authentication mechanism");
    static final Reply AUTH_CANCELLED = Reply.of(501, "5.0.0", "authentication cancelled");
    static final Reply AUTH_BAD_BASE64 = Reply.of(501, "5.5.2", "cannot decode response");
    static final Reply AUTH_SYNTAX = Reply.of(501, "5.5.4", "syntax: AUTH mechanism [initial-response]");
    static final Reply AUTH_UNKNOWN_MECHANISM = Reply.of(504, "5.5.4", "unrecognized authentication type");
    static final Reply AUTH_ALREADY = Reply.of(503, "5.5.1", "already authenticated");
    static final Reply AUTH_IN_TRANSACTION = Reply.of(503, "5.5.1", "AUTH not permitted during a mail transaction");
    static final Reply AUTH_EHLO_FIRST = Reply.of(503, "5.5.1", "EHLO first");
}
