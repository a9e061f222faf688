package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;

/**
 * The server's fixed replies, in one place so their codes stay consistent. Texts follow
 * qmail-smtpd's where qmail had the reply; the enhanced codes are RFC 3463's.
 */
final class Replies {
    private Replies() {
    }

    static final Reply OK = Reply.of(250, "2.0.0", "ok");
    static final Reply MAIL_OK = Reply.of(250, "2.1.0", "ok");
    static final Reply RCPT_OK = Reply.of(250, "2.1.5", "ok");
    static final Reply FLUSHED = Reply.of(250, "2.0.0", "flushed");
    static final Reply GO_AHEAD = Reply.plain(354, "go ahead, end with <CRLF>.<CRLF>");
    static final Reply VRFY = Reply.of(252, "2.5.2", "send some mail, i'll try my best");
    static final Reply HELP = Reply.of(214, "2.0.0",
            "commands: HELO EHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP");

    static final Reply UNRECOGNIZED = Reply.of(500, "5.5.1", "unrecognized command");
    static final Reply UNIMPLEMENTED = Reply.of(502, "5.5.1", "unimplemented");
    static final Reply LINE_TOO_LONG = Reply.of(500, "5.5.2", "line too long");
    static final Reply HELO_SYNTAX = Reply.of(501, "5.5.4", "HELO and EHLO need a domain or address");
    static final Reply MAIL_FIRST = Reply.of(503, "5.5.1", "MAIL first");
    static final Reply RCPT_FIRST = Reply.of(503, "5.5.1", "RCPT first");
    static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "nested MAIL command");
    static final Reply DATA_IN_BDAT = Reply.of(503, "5.5.1", "DATA is not allowed after BDAT");
    static final Reply BDAT_SYNTAX = Reply.of(501, "5.5.4", "syntax: BDAT <size> [LAST]");
    static final Reply BDAT_ABORTED = Reply.of(503, "5.5.1", "BDAT transaction already failed; send RSET");
    static final Reply BAD_MAIL_FROM =
            Reply.of(553, "5.7.1", "sorry, your envelope sender is in my badmailfrom list");
    /** An address in a local domain that no user, extension or alias owns (as qmail's chkuser). */
    static final Reply NO_MAILBOX = Reply.of(550, "5.1.1", "sorry, no mailbox here by that name (#5.1.1)");
    static final Reply NOT_RCPTHOST =
            Reply.of(553, "5.7.1", "sorry, that domain isn't in my list of allowed rcpthosts");
    static final Reply UTF8_NOT_PERMITTED =
            Reply.of(553, "5.6.7", "non-ASCII address needs SMTPUTF8 (RFC 6531)");
    static final Reply TOO_MANY_RCPTS = Reply.of(452, "4.5.3", "too many recipients");
    static final Reply TOO_MANY_RCPTS_SESSION =
            Reply.of(452, "4.5.3", "too many recipients in this session, try again later");
    static final Reply SIZE_EXCEEDED =
            Reply.of(552, "5.3.4", "sorry, that message size exceeds my databytes limit");
    static final Reply LOOPING = Reply.of(554, "5.4.6", "too many hops, this message is looping");
    static final Reply DATA_LINE_TOO_LONG =
            Reply.of(554, "5.6.0", "message has a line over 998 octets (RFC 5321 4.5.3.1.6)");
    static final Reply BARE_LINE_ENDING = Reply.of(451, "4.5.2",
            "bare CR or LF in message; lines must end in CRLF (RFC 5321 2.3.8)");
    static final Reply BDAT_BARE_LINE_ENDING = Reply.of(554, "5.6.0",
            "bare CR or LF in message; lines must end in CRLF (RFC 5321 2.3.8)");
    static final Reply NO_STORAGE = Reply.of(452, "4.3.1", "insufficient system storage, try later");
    static final Reply QUEUE_FAILED = Reply.of(451, "4.3.0", "qq write error, try later");
    static final Reply TOO_MANY_ERRORS = Reply.of(421, "4.7.0", "too many errors, closing connection");
    static final Reply PROXY_REFUSED =
            Reply.of(554, "5.7.0", "PROXY header not accepted from this address");
}
