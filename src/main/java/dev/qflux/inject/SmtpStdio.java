package dev.qflux.inject;

import dev.qflux.smtp.protocol.MailPath;
import dev.qflux.smtp.protocol.PathParser;
import dev.qflux.smtp.protocol.PathResult;
import dev.qflux.smtp.protocol.Reply;
import dev.qflux.smtp.protocol.SmtpCommand;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code sendmail -bs}: a small SMTP server on stdin/stdout for local programs, one line at a time
 * (qmail's sendmail ran qmail-smtpd here with RELAYCLIENT set: every recipient is accepted). Each
 * message is completed like any injected one and acknowledged with 250 only once its maildrop file
 * is durable. Commands are parsed with the SMTP server's own parsers; lines may end in LF or CRLF.
 */
final class SmtpStdio {
    private static final Reply OK = Reply.of(250, "2.0.0", "ok");
    private static final Reply NEED_MAIL = Reply.of(503, "5.5.1", "MAIL first");
    private static final Reply NEED_RCPT = Reply.of(503, "5.5.1", "RCPT first");
    private static final Reply NESTED_MAIL = Reply.of(503, "5.5.1", "one MAIL per transaction; RSET first");
    private static final Reply UNIMPLEMENTED = Reply.of(502, "5.5.1", "unimplemented");

    private final Injector injector;
    private final LineInput input;
    private final OutputStream out;
    private final String me;
    private String sender;
    private final List<String> recipients = new ArrayList<>();

    SmtpStdio(Injector injector, InputStream in, OutputStream out) {
        this.injector = injector;
        // The session as a whole is unbounded; each message is held to maxBytes in data().
        this.input = new LineInput(in, Long.MAX_VALUE);
        this.out = new BufferedOutputStream(out);
        this.me = injector.config().me();
    }

    /** Runs until QUIT or the end of input; returns the exit code. */
    int run() throws InjectException {
        try {
            send(Reply.plain(220, me + " ESMTP qflux"));
            while (true) {
                byte[] line;
                try {
                    line = input.next();
                } catch (InjectException tooLong) {
                    send(Reply.of(421, "4.5.0", "line too long; closing"));
                    throw tooLong;
                }
                if (line == null) {
                    return Sysexits.OK;
                }
                SmtpCommand command = SmtpCommand.parse(new String(line, StandardCharsets.UTF_8));
                if (!handle(command)) {
                    return Sysexits.OK;
                }
            }
        } catch (IOException e) {
            throw new InjectException(Sysexits.TEMP_FAIL, "cannot write the SMTP reply: " + e.getMessage(), e);
        }
    }

    /** Answers one command; false after QUIT. */
    private boolean handle(SmtpCommand command) throws IOException, InjectException {
        switch (command.verb()) {
            case HELO:
                send(Reply.plain(250, me));
                break;
            case EHLO:
                send(new Reply(250, null, List.of(me, "PIPELINING", "8BITMIME", "SIZE " + injector.maxBytes())));
                break;
            case MAIL:
                mail(command.argument());
                break;
            case RCPT:
                rcpt(command.argument());
                break;
            case DATA:
                data();
                break;
            case RSET:
                reset();
                send(OK);
                break;
            case NOOP:
                send(OK);
                break;
            case VRFY:
                send(Reply.of(252, "2.5.2", "send some mail, I'll try my best"));
                break;
            case HELP:
                send(Reply.of(214, "2.0.0", "qflux sendmail -bs: HELO EHLO MAIL RCPT DATA RSET NOOP QUIT"));
                break;
            case QUIT:
                send(Reply.of(221, "2.0.0", me));
                return false;
            default:
                send(UNIMPLEMENTED);
                break;
        }
        return true;
    }

    private void mail(String argument) throws IOException {
        if (sender != null) {
            send(NESTED_MAIL);
            return;
        }
        PathResult result = PathParser.parseMailFrom(withDefaultHost(argument));
        if (result instanceof PathResult.Bad) {
            send(((PathResult.Bad) result).reply());
            return;
        }
        MailPath path = ((PathResult.Ok) result).path();
        sender = path.address();
        send(OK);
    }

    private void rcpt(String argument) throws IOException {
        if (sender == null) {
            send(NEED_MAIL);
            return;
        }
        PathResult result = PathParser.parseRcptTo(withDefaultHost(argument));
        if (result instanceof PathResult.Bad) {
            send(((PathResult.Bad) result).reply());
            return;
        }
        if (recipients.size() >= MaildropFile.MAX_RECIPIENTS) {
            send(Reply.of(452, "4.5.3", "too many recipients"));
            return;
        }
        recipients.add(((PathResult.Ok) result).path().address());
        send(Reply.of(250, "2.1.5", "ok"));
    }

    private void data() throws IOException, InjectException {
        if (sender == null) {
            send(NEED_MAIL);
            return;
        }
        if (recipients.isEmpty()) {
            send(NEED_RCPT);
            return;
        }
        send(Reply.of(354, null, "go ahead"));
        DataLines lines = new DataLines(input, injector.maxBytes());
        Reply reply;
        try {
            ComposedMessage message = injector.composer().compose(lines, sender, recipients, false);
            lines.drain();
            if (lines.tooBig) {
                reply = Reply.of(552, "5.3.4", "message is larger than " + injector.maxBytes() + " bytes");
            } else {
                Path file = injector.drop(message);
                reply = Reply.of(250, "2.0.0", "ok " + file.getFileName());
            }
        } catch (InjectException e) {
            if (e.exitCode() == Sysexits.DATA && lines.lineTooLong) {
                send(Reply.of(421, "4.5.0", "line too long; closing"));
                throw e;
            }
            lines.drain();
            boolean permanent = e.exitCode() == Sysexits.DATA || e.exitCode() == Sysexits.NO_USER;
            reply = permanent ? Reply.of(554, "5.6.0", e.getMessage()) : Reply.of(451, "4.3.0", e.getMessage());
        }
        reset();
        send(reply);
    }

    /**
     * An address without a domain ({@code <root>}) is completed with defaulthost before parsing,
     * as qmail-inject completes every address; the SMTP parser alone would refuse it.
     */
    private String withDefaultHost(String argument) {
        int open = argument.indexOf('<');
        int close = argument.indexOf('>', open + 1);
        if (open < 0 || close < 0 || close == open + 1) {
            return argument;
        }
        String address = argument.substring(open + 1, close);
        if (address.indexOf('@') >= 0 || address.indexOf('"') >= 0) {
            return argument;
        }
        String completed = new AddressRewriter(injector.identity()).complete(address);
        return argument.substring(0, open + 1) + completed + argument.substring(close);
    }

    private void reset() {
        sender = null;
        recipients.clear();
    }

    private void send(Reply reply) throws IOException {
        out.write(reply.toWire());
        out.flush();
    }

    /** The lines of DATA up to the "." line, dot-unstuffed (RFC 5321 4.5.2), bounded in total size. */
    private static final class DataLines implements MessageComposer.LineSource {
        private final LineInput input;
        private final long maxBytes;
        private long bytes;
        private boolean ended;
        boolean tooBig;
        boolean lineTooLong;

        DataLines(LineInput input, long maxBytes) {
            this.input = input;
            this.maxBytes = maxBytes;
        }

        @Override
        public byte[] next() throws InjectException {
            while (!ended) {
                byte[] line = read();
                if (line == null || (line.length == 1 && line[0] == '.')) {
                    ended = true;
                    return null;
                }
                if (line.length > 0 && line[0] == '.') {
                    line = java.util.Arrays.copyOfRange(line, 1, line.length);
                }
                bytes += line.length + 2;
                if (bytes > maxBytes) {
                    tooBig = true; // read on to the end, then refuse
                    continue;
                }
                return line;
            }
            return null;
        }

        void drain() throws InjectException {
            while (next() != null) {
                // skip what the composer did not read
            }
        }

        private byte[] read() throws InjectException {
            try {
                return input.next();
            } catch (InjectException e) {
                lineTooLong = true;
                throw e;
            }
        }
    }
}
