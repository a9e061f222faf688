package dev.qflux.smtp.server;

import dev.qflux.config.AccessRule;
import dev.qflux.config.QfluxConfig;
import dev.qflux.smtp.protocol.Reply;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import dev.qflux.tls.ServerTls;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The transport side of one SMTP connection: frames bytes into command lines, DATA content and
 * BDAT chunks, drives {@link SmtpSession}, and writes replies. PIPELINING follows qmail's rule:
 * replies are written as commands are handled and flushed once no complete input is left
 * (RFC 2920 section 3.2). While a message is being made durable nothing further is decoded and
 * reading stops, so commands pipelined behind the final dot wait in order, and a client cannot
 * make us buffer without bound. Event-loop confined.
 */
final class SmtpChannelHandler extends ChannelInboundHandlerAdapter {
    /**
     * Longest command line we read, CRLF included. RFC 5321 4.5.3.1.4 says 512, and lets
     * extensions raise it; SMTPUTF8 addresses and parameters need room, so 4 KiB.
     */
    static final int MAX_COMMAND_LINE = 4096;

    /** Read input kept behind a partial command line before {@link #compact} copies the rest. */
    static final int COMPACT_AFTER = 64 * 1024;

    private enum Mode { COMMAND, DISCARD_LINE, DATA, CHUNK }

    private final ServerContext server;
    private final boolean awaitProxyHeader;
    private ChannelHandlerContext ctx;
    /** Unhandled input: usually the one buffer just read; a composite only while a line spans reads. */
    private ByteBuf in = Unpooled.EMPTY_BUFFER;
    private SessionContext session;
    private SmtpSession smtp;
    private Mode mode = Mode.COMMAND;
    private MessageReceiver receiver;
    private Transaction receiverTx;
    private long chunkLeft;
    private boolean chunkLast;
    private Reply chunkRefusal;
    private boolean busy;
    private boolean closing;
    private boolean unflushed;
    private boolean ended;
    private String endReason;
    private InetSocketAddress limited;
    private ContentPace pace;

    /** An smtps listener (RFC 8314): TLS from the first byte. */
    private final boolean implicitTls;
    /** The listener's {@code auth=required}: MAIL needs AUTH first. */
    private final boolean authRequired;
    private boolean shutdownAfterReply;

    SmtpChannelHandler(ServerContext server, boolean awaitProxyHeader) {
        this(server, awaitProxyHeader, false, false);
    }

    SmtpChannelHandler(ServerContext server, boolean awaitProxyHeader, boolean implicitTls,
                       boolean authRequired) {
        this.server = server;
        this.awaitProxyHeader = awaitProxyHeader;
        this.implicitTls = implicitTls;
        this.authRequired = authRequired;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        pace = newPace();
        if (!awaitProxyHeader) {
            begin((InetSocketAddress) ctx.channel().remoteAddress(),
                    (InetSocketAddress) ctx.channel().localAddress());
        }
        ctx.channel().config().setAutoRead(true);
    }

    /** The client is known: apply tcp.smtp and the session limits, then greet. */
    private void begin(InetSocketAddress client, InetSocketAddress local) {
        QfluxConfig config = server.config();
        AccessRule rule = config.tcpRules().match(client.getAddress());
        long qp = server.nextSessionNumber();
        session = new SessionContext(config, server.spool(), server.log(), server.clock(),
                client, local, rule, qp, server.uid(), server::recipientExists, server.gate(),
                server.commands());
        if (!rule.allow()) {
            // tcpserver drops denied clients; a 554 greeting says why (RFC 5321 3.1).
            closeWith(Reply.of(554, "5.7.1", "access denied"));
            return;
        }
        Reply refusal = rule.relayClient() != null ? null : server.connectRate().tryConnect(
                client.getAddress(), config.smtpLimits().connectRatePerIp(), System.nanoTime());
        if (refusal == null) {
            refusal = server.limiter().tryAcquire(client.getAddress(),
                    config.concurrencyIncoming(), config.concurrencyPerIp());
        }
        if (refusal != null) {
            closeWith(refusal);
            return;
        }
        limited = client;
        ServerSecurity sec = server.security();
        smtp = new SmtpSession(session, new SessionSecurity(sec.tls() != null, sec.authenticator(),
                config.security().authPlaintext(), client.getAddress().isLoopbackAddress(),
                authRequired, implicitTls));
        send(smtp.greeting());
        flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage proxy) {
            onProxyHeader(proxy);
            return;
        }
        ByteBuf buf = (ByteBuf) msg;
        if (closing || smtp == null) {
            buf.release();
            return;
        }
        pace.received(buf.readableBytes());
        append(buf);
        process();
    }

    private void onProxyHeader(HAProxyMessage proxy) {
        try {
            InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            if (proxy.command() == HAProxyCommand.PROXY && proxy.sourceAddress() != null
                    && proxy.destinationAddress() != null) {
                client = new InetSocketAddress(proxy.sourceAddress(), proxy.sourcePort());
                local = new InetSocketAddress(proxy.destinationAddress(), proxy.destinationPort());
            }
            begin(client, local); // LOCAL (a balancer's health check): the balancer itself
        } finally {
            proxy.release();
        }
    }

    /** Handles every complete input; stops while a message is being made durable. */
    private void process() {
        while (!busy && !closing && in.isReadable()) {
            int before = in.readerIndex();
            switch (mode) {
                case COMMAND -> readCommand();
                case DISCARD_LINE -> discardLine();
                case DATA -> readData();
                case CHUNK -> readChunk();
                default -> throw new IllegalStateException();
            }
            if (in.readerIndex() == before && !busy) {
                break; // an incomplete line or terminator: wait for more
            }
        }
        compact();
        flush();
    }

    /**
     * Message content is kept as retained slices of {@code in}. Most reads are handled whole, so
     * {@code in} is simply the buffer read and the slices are of plain memory (fast to scan). A
     * composite is built only when input is left over; components are never removed from it in
     * place, since that would shift what earlier slices see.
     */
    private void append(ByteBuf buf) {
        if (!in.isReadable()) {
            in.release();
            in = buf;
        } else if (in instanceof CompositeByteBuf composite) {
            composite.addComponent(true, buf);
        } else {
            CompositeByteBuf composite = ctx.alloc().compositeDirectBuffer(Integer.MAX_VALUE);
            composite.addComponent(true, in).addComponent(true, buf);
            in = composite;
        }
    }

    /** Lets go of read input, or copies a short partial command line out of much read input. */
    private void compact() {
        if (!in.isReadable()) {
            in.release();
            in = Unpooled.EMPTY_BUFFER;
        } else if (in.readerIndex() > COMPACT_AFTER && (mode == Mode.COMMAND || mode == Mode.DISCARD_LINE)) {
            ByteBuf rest = ctx.alloc().directBuffer(in.readableBytes()).writeBytes(in);
            in.release();
            in = rest;
        }
    }

    private void readCommand() {
        int start = in.readerIndex();
        int scan = Math.min(in.readableBytes(), MAX_COMMAND_LINE);
        int lf = in.indexOf(start, start + scan, (byte) '\n');
        if (lf < 0) {
            if (scan == MAX_COMMAND_LINE) {
                in.skipBytes(scan); // too long: drop it up to its LF, then refuse it
                mode = Mode.DISCARD_LINE;
            }
            return;
        }
        int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        String line = in.toString(start, end - start, StandardCharsets.UTF_8);
        in.readerIndex(lf + 1);
        apply(smtp.onLine(line));
    }

    private void discardLine() {
        int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
        if (lf < 0) {
            in.skipBytes(in.readableBytes());
            return;
        }
        in.readerIndex(lf + 1);
        mode = Mode.COMMAND;
        smtp.lineDiscarded();
        refuse(Replies.LINE_TOO_LONG);
    }

    private void apply(Step step) {
        // Java 17 has no pattern switch; Step is sealed, so this chain is exhaustive.
        if (step instanceof Step.Answer a) {
            send(a.reply());
        } else if (step instanceof Step.Close c) {
            closeWith(c.reply());
        } else if (step instanceof Step.ReceiveData d) {
            send(d.goAhead());
            newReceiver();
            mode = Mode.DATA;
            pace.start(session.config().smtpLimits());
        } else if (step instanceof Step.ReceiveChunk c) {
            chunkLeft = c.size();
            chunkLast = c.last();
            chunkRefusal = c.refusal();
            if (chunkRefusal == null && (receiver == null || receiverTx != smtp.transaction())) {
                newReceiver(); // the first chunk of this transaction
            }
            mode = Mode.CHUNK;
            if (chunkRefusal == null) {
                pace.start(session.config().smtpLimits());
            }
            if (chunkLeft == 0) {
                chunkDone();
            }
        } else if (step instanceof Step.StartTls t) {
            startTls(t.ready());
        } else if (step instanceof Step.CheckCredentials c) {
            checkCredentials(c);
        }
    }

    /**
     * RFC 3207 section 4 and CVE-2011-0411: commands pipelined behind STARTTLS were sent in plain
     * text and are thrown away; the 220 goes out in plain text, then the TLS handler is put in
     * front of this one so every later byte is decrypted first.
     */
    private void startTls(Reply ready) {
        in.skipBytes(in.readableBytes());
        send(ready);
        flush();
        ctx.pipeline().addBefore(ctx.name(), "qflux.tls", server.security().tls().newHandler(ctx.alloc()));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            if (!done.isSuccess()) {
                // A failed handshake leaves nothing to talk over: close (RFC 3207 section 4.1).
                server.log().log("warning: smtp " + describe() + ": TLS handshake failed: "
                        + done.cause().getMessage());
                endReason = "TLS handshake failed";
                closing = true;
                ctx.channel().close();
            } else if (smtp != null) {
                String tls = ServerTls.describe(ctx.pipeline().get(SslHandler.class));
                smtp.tlsStarted(tls);
                server.log().log("smtpd: tls " + describe() + " " + tls);
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** Reading stops while the checker runs, as while a message is made durable. */
    private void checkCredentials(Step.CheckCredentials check) {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        flush();
        server.security().authenticator().authenticate(check.credentials())
                .onErrorResume(e -> reactor.core.publisher.Mono.just(
                        new dev.qflux.auth.AuthResult.Unavailable(e.toString())))
                .subscribe(result -> ctx.executor().execute(() -> resumeAfterAuth(result)));
    }

    private void resumeAfterAuth(dev.qflux.auth.AuthResult result) {
        busy = false;
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        apply(smtp.authenticated(result));
        ctx.channel().config().setAutoRead(true);
        process();
    }

    /** Content of an earlier transaction ended by RSET, HELO or MAIL errors is dropped here. */
    private void newReceiver() {
        if (receiver != null) {
            receiver.discard();
        }
        receiver = new MessageReceiver(ctx.alloc(), session.config().databytes(), server.budget());
        receiverTx = smtp.transaction();
    }

    private void readData() {
        boolean end = receiver.readData(in);
        if (receiver.bareLineEnding()) {
            // qmail-smtpd: a bare LF in DATA gets 451 and the connection is dropped, so no
            // smuggled end-of-data can ever be interpreted differently by us and a next hop.
            closeWith(Replies.BARE_LINE_ENDING);
            return;
        }
        if (end) {
            mode = Mode.COMMAND;
            endOfMessage();
        }
    }

    private void readChunk() {
        if (chunkRefusal != null) {
            long n = Math.min(chunkLeft, in.readableBytes());
            in.skipBytes((int) n);
            chunkLeft -= n;
        } else {
            chunkLeft -= receiver.readChunk(in, chunkLeft);
        }
        if (chunkLeft == 0) {
            chunkDone();
        }
    }

    private void chunkDone() {
        mode = Mode.COMMAND;
        if (chunkRefusal != null) {
            refuse(chunkRefusal);
            return;
        }
        if (receiver.tooBig()) {
            // RFC 3030: refuse the chunk; the rest of the transaction is refused until RSET.
            smtp.transaction().bdatFailed = true;
            receiver.discard();
            receiver = null;
            refuse(Replies.SIZE_EXCEEDED);
            return;
        }
        if (!chunkLast) {
            send(Reply.of(250, "2.0.0", receiver.bytes() + " octets received"));
            return;
        }
        endOfMessage();
    }

    private void endOfMessage() {
        pace.stop();
        Transaction tx = smtp.takeTransaction();
        MessageReceiver r = receiver;
        receiver = null;
        MessageReceiver.Verdict verdict = r.verdict();
        if (verdict != MessageReceiver.Verdict.OK) {
            if (verdict == MessageReceiver.Verdict.NO_MEMORY) {
                server.limits().hit(LimitCounters.Limit.RECEIVEBYTES);
            }
            r.discard();
            refuse(MessageAcceptor.refusal(verdict));
            return;
        }
        ByteBuf content = r.takeBody();
        busy = true;
        ctx.channel().config().setAutoRead(false);
        flush();
        MessageAcceptor.accept(server, session, smtp, tx, content, ctx.alloc())
                .doFinally(signal -> r.releaseBudget())
                .subscribe(reply -> ctx.executor().execute(() -> resume(reply)));
    }

    /** Back on the event loop with the spool's answer. */
    private void resume(Reply reply) {
        busy = false;
        if (closing || !ctx.channel().isActive()) {
            return;
        }
        if (reply.isPositive()) {
            smtp.messageAccepted();
            send(reply);
        } else {
            refuse(reply);
        }
        if (shutdownAfterReply && !closing) {
            closeWith(server.shuttingDown());
            return;
        }
        ctx.channel().config().setAutoRead(true);
        process();
    }

    /** Sends a refusal; the error limit (control/maxerrors) can end the session. */
    private void refuse(Reply reply) {
        send(reply);
        if (smtp.countFailure()) {
            closeWith(Replies.TOO_MANY_ERRORS);
        }
    }

    /**
     * The stop's deadline passed with this session still open: 421 and close. A message the
     * spool is making durable gets its reply first, then the 421.
     */
    void shutdown() {
        if (closing || ctx == null) {
            return;
        }
        if (busy) {
            shutdownAfterReply = true;
            return;
        }
        closeWith(server.shuttingDown());
    }

    /** control/timeoutsmtpd passed without input. */
    void timeout() {
        if (busy || closing || ctx == null) {
            return; // waiting on our own disk is not the client's fault
        }
        server.limits().hit(LimitCounters.Limit.TIMEOUT_SMTPD);
        closeWith(timeoutReply());
    }

    private Reply timeoutReply() {
        return Reply.of(421, "4.4.2", server.config().me() + " timeout, closing connection");
    }

    /** control/timeoutdata and control/mindatarate while message content is expected. */
    private ContentPace newPace() {
        return new ContentPace(ctx.executor(),
                () -> !busy && !closing && receiver != null && receiverTx == smtp.transaction(),
                new ContentPace.Verdict() {
                    @Override
                    public void dataTimeout() {
                        server.limits().hit(LimitCounters.Limit.TIMEOUT_DATA);
                        closeWith(timeoutReply());
                    }

                    @Override
                    public void tooSlow(long minRate) {
                        server.limits().hit(LimitCounters.Limit.MIN_DATA_RATE);
                        closeWith(Reply.of(421, "4.4.2", "data rate below " + minRate
                                + " bytes/s, closing connection"));
                    }
                });
    }

    private void send(Reply reply) {
        server.limits().onReply(reply);
        ctx.write(Unpooled.wrappedBuffer(reply.toWire()));
        unflushed = true;
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void closeWith(Reply reply) {
        if (endReason == null) {
            endReason = reply.code() == 221 ? "quit" : "closed with " + reply.code();
        }
        closing = true;
        unflushed = false;
        server.limits().onReply(reply);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(reply.toWire()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end("disconnect");
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end("closed");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // No stack traces for what clients do (a reset, a malformed PROXY header): one line.
        server.log().log("warning: smtp " + describe() + ": " + cause.getClass().getSimpleName()
                + ": " + cause.getMessage());
        closing = true;
        ctx.close();
    }

    private void end(String how) {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        if (pace != null) {
            pace.stop();
        }
        if (receiver != null) {
            receiver.discard();
            receiver = null;
        }
        if (in != null) {
            in.release();
            in = Unpooled.EMPTY_BUFFER;
        }
        if (limited != null) {
            server.limiter().release(limited.getAddress());
        }
        if (smtp != null) {
            server.log().log("smtpd: end " + describe() + " helo " + smtp.helo()
                    + " accepted " + smtp.accepted() + " errors " + smtp.errors() + " ("
                    + (endReason != null ? endReason : how) + ")");
        }
    }

    private String describe() {
        return session == null ? String.valueOf(ctx.channel().remoteAddress())
                : "qp " + session.qp() + " from " + session.clientIp();
    }
}
