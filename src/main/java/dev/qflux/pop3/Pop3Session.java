package dev.qflux.pop3;

import dev.qflux.auth.AuthResult;
import dev.qflux.auth.Credentials;
import dev.qflux.config.Pop3Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import reactor.core.publisher.Mono;

/**
 * One POP3 session's state machine (RFC 1939 section 3): AUTHORIZATION with USER/PASS, APOP and
 * STLS (RFC 2595), then TRANSACTION on a locked Maildir ({@link MailboxSession}). Commands are a
 * table of verbs with the state each is valid in. Knows nothing of Netty; event-loop confined.
 */
final class Pop3Session {
    /** Failed logins in one session before it is closed. */
    static final int MAX_FAILURES_PER_SESSION = 3;
    /** Refused commands in one session before it is closed, as control/maxerrors does for SMTP. */
    static final int MAX_ERRORS = 20;
    /** An authenticator that has not answered by then counts as unavailable. */
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(60);
    /** Longest user name logged; anything longer is cut. */
    private static final int MAX_LOGGED_NAME = 64;

    private enum State { AUTHORIZATION, TRANSACTION }

    /** The verbs; {@code state} null = valid in both states (RFC 1939, RFC 2449, RFC 2595). */
    private enum Command {
        USER(State.AUTHORIZATION), PASS(State.AUTHORIZATION), APOP(State.AUTHORIZATION),
        STLS(State.AUTHORIZATION), CAPA(null), QUIT(null), NOOP(State.TRANSACTION),
        STAT(State.TRANSACTION), LIST(State.TRANSACTION), RETR(State.TRANSACTION),
        DELE(State.TRANSACTION), RSET(State.TRANSACTION), TOP(State.TRANSACTION),
        UIDL(State.TRANSACTION);

        final State state;

        Command(State state) {
            this.state = state;
        }
    }

    private final Pop3Context ctx;
    private final Pop3Config config;
    private final InetSocketAddress client;
    private final boolean tlsAvailable;
    private final String timestamp;
    private State state = State.AUTHORIZATION;
    private boolean tls;
    private String pendingUser;
    private int failures;
    private int errors;
    private MailboxSession mailbox;

    Pop3Session(Pop3Context ctx, InetSocketAddress client, boolean tlsAvailable, boolean tls) {
        this.ctx = ctx;
        this.config = ctx.config().pop3();
        this.client = client;
        this.tlsAvailable = tlsAvailable;
        this.tls = tls;
        this.timestamp = ctx.apop() ? ctx.nextTimestamp() : null;
    }

    /** qmail-popup's greeting; the APOP timestamp only when APOP can be checked. */
    String greeting() {
        return "+OK qflux POP3 server ready" + (timestamp != null ? " " + timestamp : "");
    }

    /** TLS is up, after STLS: the client starts over (RFC 2595 section 4). */
    void tlsStarted() {
        tls = true;
        pendingUser = null;
    }

    Step onLine(String line) {
        int sp = line.indexOf(' ');
        String verb = (sp < 0 ? line : line.substring(0, sp)).toUpperCase(Locale.ROOT);
        String arg = sp < 0 ? "" : line.substring(sp + 1);
        Command c;
        try {
            c = Command.valueOf(verb);
        } catch (IllegalArgumentException unknown) {
            return refuse("-ERR unknown command");
        }
        if (c.state != null && c.state != state) {
            return refuse(state == State.AUTHORIZATION ? "-ERR authorization first"
                    : "-ERR not valid after login");
        }
        switch (c) {
            case USER: return user(arg.strip());
            case PASS: return pass(arg);
            case APOP: return apop(arg.strip());
            case STLS: return stls();
            case CAPA: return capa();
            case QUIT: return state == State.AUTHORIZATION ? new Step.Close("+OK bye")
                    : mailbox.quit(clientIp());
            case NOOP: return new Step.Reply("+OK");
            case STAT: return mailbox.stat();
            case LIST: return mailbox.list(arg.strip());
            case RETR: return mailbox.retr(arg.strip());
            case DELE: return mailbox.dele(arg.strip());
            case RSET: return mailbox.rset();
            case TOP: return mailbox.top(arg.strip());
            case UIDL: return mailbox.uidl(arg.strip());
            default: throw new IllegalStateException("unhandled " + c);
        }
    }

    /** A line over the RFC 2449 limit. */
    Step lineTooLong() {
        return refuse("-ERR command too long (at most " + Pop3ChannelHandler.MAX_COMMAND_LINE
                + " octets with CRLF)");
    }

    /** The connection ended; without QUIT nothing is deleted. */
    void abort() {
        if (mailbox != null) {
            mailbox.abort(clientIp());
        }
    }

    private Step refuse(String line) {
        return ++errors >= MAX_ERRORS ? new Step.Close("-ERR too many errors, closing connection")
                : new Step.Reply(line);
    }

    /** RFC 2595 section 2.4: no password in the clear, unless under TLS, from loopback, or allowed. */
    private boolean plaintextAllowed() {
        return tls || config.plaintextAnywhere() || client.getAddress().isLoopbackAddress();
    }

    private Step capa() {
        List<String> caps = new ArrayList<>(List.of("TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE",
                "PIPELINING"));
        if (state == State.AUTHORIZATION && plaintextAllowed()) {
            caps.add("USER");
        }
        if (state == State.AUTHORIZATION && tlsAvailable && !tls) {
            caps.add("STLS");
        }
        caps.add("IMPLEMENTATION qflux");
        return new Step.Lines("+OK capability list follows", caps);
    }

    private Step stls() {
        if (!tlsAvailable) {
            return refuse("-ERR STLS not available");
        }
        if (tls) {
            return refuse("-ERR already using TLS");
        }
        return new Step.StartTls("+OK begin TLS negotiation");
    }

    private Step user(String name) {
        if (!plaintextAllowed()) {
            return refuse("-ERR [AUTH] plaintext login needs TLS: use STLS first");
        }
        if (name.isEmpty()) {
            return refuse("-ERR syntax: USER name");
        }
        pendingUser = name;
        return new Step.Reply("+OK send PASS");
    }

    private Step pass(String password) {
        if (pendingUser == null) {
            return refuse("-ERR USER first");
        }
        String name = pendingUser;
        pendingUser = null;
        return login(name, password, null);
    }

    /** RFC 1939 section 7: APOP name digest, digest = MD5(timestamp + secret) in lowercase hex. */
    private Step apop(String arg) {
        if (timestamp == null) {
            return refuse("-ERR APOP not available");
        }
        int sp = arg.lastIndexOf(' ');
        String digest = sp < 0 ? "" : arg.substring(sp + 1);
        if (sp <= 0 || digest.length() != 32 || !digest.chars().allMatch(
                ch -> (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) {
            return refuse("-ERR syntax: APOP name digest (32 lowercase hex digits)");
        }
        return login(arg.substring(0, sp).strip(), digest, timestamp);
    }

    private Step login(String name, String secret, String challenge) {
        long now = ctx.clock().millis();
        if (ctx.failedLogins().blocked(client.getAddress(), now)) {
            ctx.log().log("pop3 login refused user " + printable(name) + " from " + clientIp()
                    + ": too many failed logins from this address");
            failures++;
            return failures >= MAX_FAILURES_PER_SESSION
                    ? new Step.Close("-ERR [AUTH] too many failed logins from your address; try later")
                    : new Step.Reply("-ERR [AUTH] too many failed logins from your address; try later");
        }
        Credentials credentials = new Credentials(name, secret, challenge, clientIp(), "pop3");
        Mono<AuthResult> check = Mono.defer(() -> ctx.authenticator().authenticate(credentials))
                .timeout(AUTH_TIMEOUT)
                .onErrorResume(e -> Mono.just(new AuthResult.Unavailable(e.getClass().getSimpleName())))
                .defaultIfEmpty(new AuthResult.Unavailable("no answer"))
                .flatMap(r -> r instanceof AuthResult.Rejected
                        ? Mono.delay(ctx.failedLoginDelay()).thenReturn(r) : Mono.just(r));
        return new Step.Later<>(check, r -> checked(name, r));
    }

    private Step checked(String name, AuthResult result) {
        if (result instanceof AuthResult.Rejected rejected) {
            failures++;
            ctx.failedLogins().record(client.getAddress(), ctx.clock().millis());
            ctx.log().log("pop3 login failed user " + printable(name) + " from " + clientIp() + ": "
                    + rejected.reason());
            return failures >= MAX_FAILURES_PER_SESSION
                    ? new Step.Close("-ERR [AUTH] authentication failed; too many failures")
                    : new Step.Reply("-ERR [AUTH] authentication failed");
        }
        if (result instanceof AuthResult.Unavailable unavailable) {
            ctx.log().log("warning: pop3 login user " + printable(name) + " from " + clientIp()
                    + ": password check unavailable: " + unavailable.reason());
            return new Step.Reply("-ERR [SYS/TEMP] cannot check passwords now; try again later");
        }
        AuthResult.Accepted accepted = (AuthResult.Accepted) result;
        if (accepted.home() == null) {
            ctx.log().log("warning: pop3 login user " + printable(accepted.user()) + ": no home directory");
            return new Step.Reply("-ERR [SYS/PERM] no mailbox for this account");
        }
        Path maildir = accepted.home().resolve(config.maildirName());
        Mono<Object> open = Mono.fromCallable(() -> open(maildir)).subscribeOn(ctx.io())
                .onErrorResume(e -> Mono.just(e));
        return new Step.Later<>(open, o -> opened(accepted.user(), maildir, o));
    }

    private record Opened(Maildrop drop, MaildropLock lock) {
    }

    /** What {@link #open} gives when another session holds the lock. */
    private static final Object IN_USE = new Object();

    /** Lock, then list (on the I/O scheduler): an {@link Opened}, or {@link #IN_USE}. */
    private static Object open(Path maildir) throws IOException {
        MaildropLock lock = MaildropLock.tryAcquire(maildir);
        if (lock == null) {
            return IN_USE;
        }
        try {
            return new Opened(Maildrop.open(maildir), lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private Step opened(String user, Path maildir, Object outcome) {
        String who = printable(user);
        if (outcome instanceof Opened o) {
            mailbox = new MailboxSession(ctx, who, o.drop(), o.lock());
            state = State.TRANSACTION;
            ctx.log().log("pop3 login user " + who + " from " + clientIp());
            return new Step.Reply(mailbox.summary());
        }
        if (outcome instanceof Throwable e) {
            ctx.log().log("warning: pop3 login user " + who + " from " + clientIp()
                    + ": cannot open " + maildir + ": " + e.getMessage());
            return new Step.Reply("-ERR [SYS/TEMP] cannot open the mailbox");
        }
        ctx.log().log("pop3 login user " + who + " from " + clientIp() + ": mailbox in use");
        return new Step.Reply("-ERR [IN-USE] mailbox locked");
    }

    /**
     * The log shows what the client typed as a user name, without control characters and cut
     * short; passwords never reach it.
     */
    static String printable(String name) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < MAX_LOGGED_NAME; i++) {
            char ch = name.charAt(i);
            b.append(ch < 0x20 || ch == 0x7f ? '?' : ch);
        }
        return b.toString();
    }

    private String clientIp() {
        return client.getAddress().getHostAddress();
    }
}
