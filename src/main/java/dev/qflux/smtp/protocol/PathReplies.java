package dev.qflux.smtp.protocol;

/**
 * The replies that refuse a MAIL or RCPT argument. The code choices, kept the same for every path:
 * <ul>
 *   <li>501 (RFC 5321 4.2.3, "syntax error in parameters or arguments") for anything malformed,
 *       including an address over RFC 5321 4.5.3.1's limits ("501 Path too long" is the reply
 *       4.5.3.1.9 lists for that);</li>
 *   <li>555 for a parameter we do not implement (RFC 5321 4.1.1.11 and 3.3);</li>
 *   <li>553 only for the SMTPUTF8 refusal, as RFC 6531 3.7.4.1 prescribes.</li>
 * </ul>
 * Enhanced codes (RFC 3463): X.5.4 "invalid command arguments" for the shape of the argument and
 * for every parameter problem; X.1.7 "bad sender's mailbox address syntax" for anything wrong with
 * the reverse path; X.1.3 "bad destination mailbox address syntax" for the forward path; X.6.7
 * (RFC 6531) "non-ASCII addresses not permitted". No reply echoes what the client sent.
 */
public final class PathReplies {

    private PathReplies() {
    }

    /** The argument of MAIL does not start with "FROM:". */
    public static final Reply MAIL_USAGE = Reply.of(501, "5.5.4", "syntax: MAIL FROM:<address>");
    /** The argument of RCPT does not start with "TO:". */
    public static final Reply RCPT_USAGE = Reply.of(501, "5.5.4", "syntax: RCPT TO:<address>");

    /** The reverse path breaks RFC 5321 4.1.2's grammar (brackets, route, local part, domain). */
    public static final Reply BAD_SENDER = Reply.of(501, "5.1.7", "bad sender address syntax");
    /** The reverse path is longer than RFC 5321 4.5.3.1.3 allows. */
    public static final Reply SENDER_PATH_TOO_LONG = Reply.of(501, "5.1.7", "sender path too long");
    /** The sender's local part is longer than RFC 5321 4.5.3.1.1 allows. */
    public static final Reply SENDER_LOCAL_PART_TOO_LONG =
            Reply.of(501, "5.1.7", "sender local part too long");
    /** The sender's domain is longer than RFC 5321 4.5.3.1.2 allows. */
    public static final Reply SENDER_DOMAIN_TOO_LONG = Reply.of(501, "5.1.7", "sender domain too long");
    /** The reverse path held bytes that are not UTF-8 (decoded to U+FFFD). */
    public static final Reply SENDER_NOT_UTF8 = Reply.of(501, "5.1.7", "sender address is not valid UTF-8");

    /** The forward path breaks RFC 5321 4.1.2's grammar. */
    public static final Reply BAD_RECIPIENT = Reply.of(501, "5.1.3", "bad recipient address syntax");
    /** {@code RCPT TO:<>}: the null path is only a reverse path (RFC 5321 4.5.5). */
    public static final Reply NULL_RECIPIENT = Reply.of(501, "5.1.3", "null recipient not allowed");
    /** The forward path is longer than RFC 5321 4.5.3.1.3 allows. */
    public static final Reply RECIPIENT_PATH_TOO_LONG = Reply.of(501, "5.1.3", "recipient path too long");
    /** The recipient's local part is longer than RFC 5321 4.5.3.1.1 allows. */
    public static final Reply RECIPIENT_LOCAL_PART_TOO_LONG =
            Reply.of(501, "5.1.3", "recipient local part too long");
    /** The recipient's domain is longer than RFC 5321 4.5.3.1.2 allows. */
    public static final Reply RECIPIENT_DOMAIN_TOO_LONG =
            Reply.of(501, "5.1.3", "recipient domain too long");
    /** The forward path held bytes that are not UTF-8. */
    public static final Reply RECIPIENT_NOT_UTF8 =
            Reply.of(501, "5.1.3", "recipient address is not valid UTF-8");

    /** A parameter keyword we do not implement (RFC 5321 4.1.1.11: 555). */
    public static final Reply UNSUPPORTED_PARAMETER = Reply.of(555, "5.5.4", "unsupported parameter");
    /** Parameters not in RFC 5321 4.1.2's esmtp-param form, or not separated from the path by a space. */
    public static final Reply MALFORMED_PARAMETER = Reply.of(501, "5.5.4", "malformed parameter");
    /** The same keyword twice: which one would count is not defined anywhere. */
    public static final Reply DUPLICATE_PARAMETER = Reply.of(501, "5.5.4", "duplicate parameter");
    /** A control character (CR, LF, NUL, TAB...) among the parameters. */
    public static final Reply CONTROL_IN_PARAMETERS =
            Reply.of(501, "5.5.4", "control character in parameters");
    /** SIZE without a value or with anything but digits (RFC 1870 6). */
    public static final Reply BAD_SIZE = Reply.of(501, "5.5.4", "bad SIZE parameter");
    /** BODY other than 7BIT, 8BITMIME (RFC 6152 2) or BINARYMIME (RFC 3030 3). */
    public static final Reply BAD_BODY = Reply.of(501, "5.5.4", "bad BODY parameter");
    /** SMTPUTF8 with a value: RFC 6531 3.4 defines it without one. */
    public static final Reply BAD_SMTPUTF8 = Reply.of(501, "5.5.4", "SMTPUTF8 takes no value");
    /** AUTH without a value or whose value is not xtext (RFC 4954 5, RFC 3461 4). */
    public static final Reply BAD_AUTH = Reply.of(501, "5.5.4", "bad AUTH parameter");

    /**
     * For the session: a non-ASCII address ({@link MailPath#isAscii()} false) in a transaction
     * whose MAIL did not carry SMTPUTF8 (RFC 6531 3.7.4.1 prescribes 553 and X.6.7).
     */
    public static final Reply NEEDS_SMTPUTF8 =
            Reply.of(553, "5.6.7", "non-ASCII address requires SMTPUTF8");
}
