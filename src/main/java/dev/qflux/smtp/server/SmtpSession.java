package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.MailPath;
import dev.qflux.smtp.protocol.PathParser;
import dev.qflux.smtp.protocol.PathResult;
import dev.qflux.smtp.protocol.Reply;
import dev.qflux.smtp.protocol.SmtpCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The RFC 5321 state machine of one SMTP session with qmail-smtpd's rules: what each command
 * means and what to answer. It knows nothing of sockets or bytes; {@link SmtpChannelHandler} owns
 * the framing and {@link MessageAcceptor} the end of a message. Event-loop confined.
 */
final class SmtpSession {
    private final SessionContext ctx;
    private String helo;
    private boolean esmtp;
    private Transaction tx;
    private int errors;
    private int accepted;
    private int commands;
    private final SessionSecurity security;
    private final AuthExchange auth = new AuthExchange();
    /** Recipients accepted in this session, over all its transactions (control/maxrcptsession). */
    private int sessionRecipients;

    SmtpSession(SessionContext ctx) {
        this(ctx, SessionSecurity.none());
    }

    SmtpSession(SessionContext ctx, SessionSecurity security) {
        this.ctx = ctx;
        this.security = security;
    }

    /**
     * A line over the limit was thrown away unread. If it was the answer to a 334 the exchange
     * is over (RFC 4954 section 4 rejects a response it cannot use), so the next line is a
     * command again and not taken as a second guess at the response.
     */
    void lineDiscarded() {
        auth.abandon();
    }

    Reply greeting() {
        return Reply.plain(220, ctx.config().smtpGreeting() + " ESMTP");
    }

    /** One command line (without CRLF). */
    Step onLine(String line) {
        commands++;
        if (auth.pending()) {
            return countErrors(auth.next(line, ctx.clientIp())); // a response, never a command
        }
        SmtpCommand cmd = SmtpCommand.parse(line);
        Step step = switch (cmd.verb()) {
            case HELO -> helo(cmd.argument(), false);
            case EHLO -> helo(cmd.argument(), true);
            case MAIL -> mail(cmd.argument());
            case RCPT -> rcpt(cmd.argument());
            case DATA -> data();
            case BDAT -> bdat(cmd.argument());
            case RSET -> {
                tx = null;
                yield answer(Replies.FLUSHED);
            }
            case NOOP -> answer(Replies.OK);
            case QUIT -> new Step.Close(Reply.of(221, "2.0.0", ctx.config().me() + " closing connection"));
            case VRFY -> answer(Replies.VRFY);
            case HELP -> answer(Replies.HELP);
            case STARTTLS -> startTls(cmd.argument());
            case AUTH -> auth(cmd.argument());
            case EXPN -> answer(Replies.UNIMPLEMENTED);
            case UNKNOWN -> commands == 1 && line.startsWith("PROXY ")
                    // A PROXY header from a client we do not trust as a load balancer.
                    ? new Step.Close(Replies.PROXY_REFUSED)
                    : answer(Replies.UNRECOGNIZED);
        };
        Step counted = countErrors(step);
        ctx.commands().count(cmd.verb().name(), replyCode(counted));
        return counted;
    }

    /** The code a step answers with; 354 for DATA, 0 for a BDAT chunk still to be read. */
    private static int replyCode(Step step) {
        if (step instanceof Step.Answer a) {
            return a.reply().code();
        }
        if (step instanceof Step.Close c) {
            return c.reply().code();
        }
        if (step instanceof Step.ReceiveData d) {
            return d.goAhead().code();
        }
        return 0;
    }

    private Step helo(String arg, boolean extended) {
        String name = arg.strip();
        if (name.isEmpty()) {
            return answer(Replies.HELO_SYNTAX);
        }
        helo = name;
        esmtp = extended;
        tx = null; // RFC 5321 4.1.4: EHLO/HELO resets the transaction
        String me = ctx.config().me();
        if (!extended) {
            return answer(Reply.plain(250, me));
        }
        long databytes = ctx.config().databytes();
        List<String> lines = new ArrayList<>(List.of(
                me,
                "PIPELINING",
                "8BITMIME",
                databytes > 0 ? "SIZE " + databytes : "SIZE",
                "ENHANCEDSTATUSCODES",
                "SMTPUTF8",
                "CHUNKING"));
        if (security.startTlsOffered()) {
            lines.add("STARTTLS");
        }
        if (security.authOffered()) {
            lines.add("AUTH " + AuthExchange.MECHANISMS);
        }
        return answer(new Reply(250, null, lines));
    }

    /** RFC 3207 section 4. */
    private Step startTls(String arg) {
        if (!security.tlsAvailable) {
            return answer(Replies.UNIMPLEMENTED);
        }
        if (security.inTls) {
            return answer(SecurityReplies.TLS_ALREADY);
        }
        if (!arg.isBlank()) {
            return answer(SecurityReplies.TLS_SYNTAX);
        }
        return new Step.StartTls(SecurityReplies.TLS_READY);
    }

    /**
     * The handshake is done: RFC 3207 section 4.2, the client must EHLO again and nothing learnt
     * in plain text (HELO name, transaction, login) is kept.
     */
    void tlsStarted(String description) {
        security.inTls = true;
        security.tlsDescription = description;
        security.authUser = null;
        helo = null;
        esmtp = false;
        tx = null;
    }

    /** RFC 4954 section 4. */
    private Step auth(String arg) {
        if (security.authenticator == null) {
            return answer(Replies.UNIMPLEMENTED);
        }
        if (!esmtp) {
            return answer(SecurityReplies.AUTH_EHLO_FIRST);
        }
        if (security.authUser != null) {
            return answer(SecurityReplies.AUTH_ALREADY);
        }
        if (tx != null) {
            return answer(SecurityReplies.AUTH_IN_TRANSACTION);
        }
        if (!security.authAllowed()) {
            return answer(SecurityReplies.AUTH_NEEDS_TLS);
        }
        return auth.start(arg, ctx.clientIp());
    }

    /** The checker's answer to {@link Step.CheckCredentials}; counts a failure as an error. */
    Step authenticated(dev.qflux.auth.AuthResult result) {
        if (result instanceof dev.qflux.auth.AuthResult.Accepted a) {
            security.authUser = a.user();
        }
        return countErrors(answer(AuthExchange.reply(result)));
    }

    String authUser() {
        return security.authUser;
    }

    private Step mail(String arg) {
        if (tx != null) {
            return answer(Replies.NESTED_MAIL);
        }
        if (security.authRequired && security.authUser == null) {
            return answer(SecurityReplies.AUTH_REQUIRED);
        }
        PathResult parsed = PathParser.parseMailFrom(arg);
        if (parsed instanceof PathResult.Bad bad) {
            return answer(bad.reply());
        }
        MailPath from = ((PathResult.Ok) parsed).path();
        if (!from.isAscii() && !from.params().containsKey("SMTPUTF8")) {
            return answer(Replies.UTF8_NOT_PERMITTED);
        }
        long databytes = ctx.config().databytes();
        String size = from.params().get("SIZE");
        if (databytes > 0 && size != null && exceeds(size, databytes)) {
            return answer(Replies.SIZE_EXCEEDED);
        }
        if (!ctx.spool().acceptingMail()) {
            return answer(Replies.NO_STORAGE);
        }
        Reply gate = ctx.gate().refusal();
        if (gate != null) {
            return gate.code() == 421 ? new Step.Close(gate) : answer(gate);
        }
        tx = new Transaction(from, ctx.config().badMailFrom().matches(from.address()));
        return answer(Replies.MAIL_OK);
    }

    private static boolean exceeds(String digits, long limit) {
        // SIZE is digits only (PathParser checks); more than 18 digits is over any limit.
        return digits.length() > 18 || Long.parseLong(digits) > limit;
    }

    private Step rcpt(String arg) {
        if (tx == null) {
            return answer(Replies.MAIL_FIRST);
        }
        PathResult parsed = PathParser.parseRcptTo(arg);
        if (parsed instanceof PathResult.Bad bad) {
            return answer(bad.reply());
        }
        MailPath to = ((PathResult.Ok) parsed).path();
        if (tx.badSender) {
            return answer(Replies.BAD_MAIL_FROM);
        }
        if (!to.isAscii() && !tx.smtputf8()) {
            return answer(Replies.UTF8_NOT_PERMITTED);
        }
        if (tx.recipients.size() >= ctx.config().maxRcpt()) {
            return answer(Replies.TOO_MANY_RCPTS);
        }
        String relayClient = ctx.rule().relayClient();
        if (relayClient == null && security.authUser != null) {
            relayClient = ""; // RFC 4954 section 8: an authenticated client may relay
        }
        int perSession = ctx.config().smtpLimits().maxRcptSession();
        if (relayClient == null && perSession > 0 && sessionRecipients >= perSession) {
            return answer(Replies.TOO_MANY_RCPTS_SESSION);
        }
        String address = rewriteLocalIp(to);
        if (relayClient != null) {
            address = address + relayClient; // qmail appends RELAYCLIENT's value
        } else if (!acceptedDomain(address)) {
            return answer(Replies.NOT_RCPTHOST);
        }
        if (!ctx.recipientExists().test(address)) {
            return answer(Replies.NO_MAILBOX);
        }
        tx.recipients.add(address);
        sessionRecipients++;
        return answer(Replies.RCPT_OK);
    }

    /** qmail-smtpd: box@[our IP] becomes box@localiphost before the rcpthosts check. */
    private String rewriteLocalIp(MailPath to) {
        String domain = to.domain();
        if (domain.startsWith("[") && domain.endsWith("]")) {
            String literal = domain.substring(1, domain.length() - 1);
            if (literal.regionMatches(true, 0, "IPv6:", 0, 5)) {
                literal = literal.substring(5);
            }
            String ours = ctx.local().getAddress().getHostAddress();
            if (literal.equalsIgnoreCase(ours)) {
                return to.localPart() + "@" + ctx.config().localIpHost();
            }
        }
        return to.address();
    }

    private boolean acceptedDomain(String address) {
        int at = address.lastIndexOf('@');
        if (at < 0) {
            // RFC 5321 4.5.1: <postmaster> without a domain must be accepted.
            return address.equalsIgnoreCase("postmaster");
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        return ctx.config().rcptHosts().contains(domain)
                && ctx.config().rcptHosts().contains(afterPercentHack(address, at, domain));
    }

    /**
     * The domain a recipient ends up at once delivery applies percenthack (user%host@domain is
     * user@host while domain is listed; Router does the same). A stranger must not reach a host
     * outside rcpthosts that way: qmail-smtpd checked only the first domain, which made every
     * percenthack domain an open relay.
     */
    private String afterPercentHack(String address, int at, String domain) {
        String local = address.substring(0, at);
        String d = domain;
        while (ctx.config().delivery().percentHack().contains(d)) {
            int percent = local.lastIndexOf('%');
            if (percent < 0) {
                break;
            }
            d = local.substring(percent + 1).toLowerCase(Locale.ROOT);
            local = local.substring(0, percent);
        }
        return d;
    }

    private Step data() {
        if (tx == null) {
            return answer(Replies.MAIL_FIRST);
        }
        if (tx.bdat) {
            return answer(Replies.DATA_IN_BDAT);
        }
        if (tx.recipients.isEmpty()) {
            return answer(Replies.RCPT_FIRST);
        }
        return new Step.ReceiveData(Replies.GO_AHEAD);
    }

    private Step bdat(String arg) {
        String[] words = arg.strip().split(" +");
        if (words.length < 1 || words.length > 2 || !words[0].matches("[0-9]{1,18}")
                || (words.length == 2 && !words[1].equalsIgnoreCase("LAST"))) {
            // Without a size we cannot know where the chunk ends; the client's bytes will be
            // read as commands and refused one by one until the error limit closes the session.
            return answer(Replies.BDAT_SYNTAX);
        }
        long size = Long.parseLong(words[0]);
        boolean last = words.length == 2;
        Reply refusal = null;
        if (tx == null) {
            refusal = Replies.MAIL_FIRST;
        } else if (tx.recipients.isEmpty()) {
            refusal = Replies.RCPT_FIRST;
        } else if (tx.bdatFailed) {
            refusal = Replies.BDAT_ABORTED;
        } else {
            tx.bdat = true;
        }
        return new Step.ReceiveChunk(size, last, refusal);
    }

    /** The transaction whose content is being received; taken (and ended) by the caller. */
    Transaction takeTransaction() {
        Transaction t = tx;
        tx = null;
        return t;
    }

    Transaction transaction() {
        return tx;
    }

    String helo() {
        return helo;
    }

    /** Received-line protocol: SMTP after HELO, ESMTP after EHLO (netqmail), RFC 3848 S and A. */
    String protocol() {
        return security.protocol(esmtp);
    }

    /** Counts a refused message or BDAT chunk; true when the error limit ends the session. */
    boolean countFailure() {
        return ++errors >= ctx.config().maxErrors();
    }

    void messageAccepted() {
        accepted++;
    }

    int accepted() {
        return accepted;
    }

    int errors() {
        return errors;
    }

    private Step countErrors(Step step) {
        if (step instanceof Step.Answer a && !a.reply().isPositive()
                && ++errors >= ctx.config().maxErrors()) {
            return new Step.Close(Replies.TOO_MANY_ERRORS);
        }
        return step;
    }

    private static Step answer(Reply reply) {
        return new Step.Answer(reply);
    }
}
