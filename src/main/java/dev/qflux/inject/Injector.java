package dev.qflux.inject;

import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.spool.Envelope;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code qflux inject} / {@code sendmail}: parses the flags, reads the configuration, then either
 * completes one message from stdin or runs an SMTP dialogue on stdin/stdout ({@code -bs}), and
 * writes each message into the maildrop. A blocking command-line program; never used in the daemon.
 */
public final class Injector {
    static final String PROGRAM = "qflux-inject";
    /**
     * Largest message read from a local program when control/databytes sets no limit: the pickup
     * holds one message in memory while the spool takes it, so this bounds that memory.
     */
    public static final long MAX_MESSAGE_BYTES = 512L << 20;
    private static final DateTimeFormatter ID_TIME =
            DateTimeFormatter.ofPattern("yyyyMMddHHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final QfluxConfig config;
    private final Identity identity;
    private final Clock clock;
    private final long pid;
    private final AtomicLong messages = new AtomicLong();

    Injector(QfluxConfig config, Identity identity, Clock clock, long pid) {
        this.config = config;
        this.identity = identity;
        this.clock = clock;
        this.pid = pid;
    }

    /**
     * Runs the command and returns its exit code (sysexits.h); messages go to {@code err} as
     * {@code qflux-inject: fatal: ...}, never a stack trace.
     */
    public static int run(List<String> args, Path confDir, Map<String, String> env, InputStream in,
                          OutputStream out, PrintStream err) {
        try {
            InjectRequest request = SendmailArgs.parse(args);
            QfluxConfig config;
            try {
                config = ConfigLoader.load(confDir);
            } catch (ConfigException e) {
                throw new InjectException(Sysexits.CONFIG, e.getMessage());
            }
            Identity identity = Identity.from(config.delivery(), env, System.getProperty("user.name"))
                    .withSender(request.sender()).withFullName(request.fullName());
            Injector injector = new Injector(config, identity, Clock.systemUTC(), ProcessHandle.current().pid());
            if (request.smtp()) {
                return new SmtpStdio(injector, in, out).run();
            }
            injector.inject(request, in);
            return Sysexits.OK;
        } catch (InjectException e) {
            err.println(PROGRAM + ": fatal: " + e.getMessage());
            return e.exitCode();
        }
    }

    /** One message from {@code in}, with the request's envelope options. */
    Path inject(InjectRequest request, InputStream in) throws InjectException {
        LineInput input = new LineInput(in, maxBytes());
        MessageComposer.LineSource lines = request.dotEndsInput() ? endAtDot(input) : input::next;
        ComposedMessage message = composer().compose(lines, request.sender(), request.recipients(),
                request.recipientsFromHeader());
        return drop(message);
    }

    /** Checks the envelope and writes the maildrop file; durable when this returns. */
    Path drop(ComposedMessage message) throws InjectException {
        if (message.recipients().isEmpty()) {
            throw new InjectException(Sysexits.NO_USER, "no recipients: name them as arguments, or use -t"
                    + " to take them from To, Cc and Bcc");
        }
        if (message.recipients().size() > MaildropFile.MAX_RECIPIENTS) {
            throw new InjectException(Sysexits.NO_USER, "too many recipients (at most " + MaildropFile.MAX_RECIPIENTS + ")");
        }
        String bad = EnvelopeCheck.problem(new Envelope(message.sender(), message.recipients()));
        if (bad != null) {
            throw new InjectException(Sysexits.NO_USER, bad);
        }
        byte[] file = MaildropFile.encode(pid, message.sender(), message.recipients(), message.content());
        return MaildropWriter.write(config.queueDir(), file, pid);
    }

    MessageComposer composer() {
        long now = clock.millis();
        String idLocal = ID_TIME.format(java.time.Instant.ofEpochMilli(now)) + "." + pid + "."
                + messages.incrementAndGet() + ".qflux";
        return new MessageComposer(identity, now, idLocal);
    }

    Identity identity() {
        return identity;
    }

    QfluxConfig config() {
        return config;
    }

    /** control/databytes when set (qmail-smtpd's limit applies to local programs too), else {@link #MAX_MESSAGE_BYTES}. */
    long maxBytes() {
        long databytes = config.databytes();
        return databytes > 0 ? Math.min(databytes, MAX_MESSAGE_BYTES) : MAX_MESSAGE_BYTES;
    }

    /** sendmail without -i: a line holding only "." ends the message (nothing is unstuffed). */
    private static MessageComposer.LineSource endAtDot(LineInput input) {
        boolean[] ended = {false};
        return () -> {
            if (ended[0]) {
                return null;
            }
            byte[] line = input.next();
            if (line != null && line.length == 1 && line[0] == '.') {
                ended[0] = true;
                return null;
            }
            return line;
        };
    }

    static String printable(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length() && i < 300; i++) {
            char c = s.charAt(i);
            sb.append(c < ' ' || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
