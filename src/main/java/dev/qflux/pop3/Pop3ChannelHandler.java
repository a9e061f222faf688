package dev.qflux.pop3;

import dev.qflux.tls.ServerTls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import reactor.core.publisher.Mono;

/**
 * The transport side of one POP3 connection: frames command lines, drives {@link Pop3Session},
 * writes responses, and streams RETR and TOP bodies one chunk at a time, reading the next chunk
 * only when the last one is written (backpressure). While a command waits on the password check
 * or the disk, nothing more is read, so pipelined commands (RFC 2449 PIPELINING) run in order.
 * Event-loop confined.
 */
final class Pop3ChannelHandler extends ChannelInboundHandlerAdapter {
    /** RFC 2449 section 4: a command line is at most 255 octets, CRLF included. */
    static final int MAX_COMMAND_LINE = 255;

    private final Pop3Context server;
    private final boolean awaitProxyHeader;
    private final ServerTls tls;
    private final SslHandler implicitTls;
    private ChannelHandlerContext ctx;
    private ByteBuf in = Unpooled.EMPTY_BUFFER;
    private Pop3Session session;
    private MessageReader streaming;
    private long lastProgress;
    private boolean discarding;
    private boolean busy;
    /** A password check or mailbox opening is under way: it, not end(), lets the mailbox go. */
    private boolean awaiting;
    private boolean closing;
    private boolean unflushed;
    private boolean ended;
    private boolean counted;

    /**
     * @param tls         for STLS, or null when there is no certificate
     * @param implicitTls the handler already in the pipeline of a pop3s listener, else null
     */
    Pop3ChannelHandler(Pop3Context server, boolean awaitProxyHeader, ServerTls tls,
                       SslHandler implicitTls) {
        this.server = server;
        this.awaitProxyHeader = awaitProxyHeader;
        this.tls = tls;
        this.implicitTls = implicitTls;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (!awaitProxyHeader) {
            begin((InetSocketAddress) ctx.channel().remoteAddress());
        }
        ctx.channel().config().setAutoRead(true);
    }

    private void begin(InetSocketAddress client) {
        if (!server.tryOpenSession()) {
            closeWith("-ERR [SYS/TEMP] too many POP3 sessions; try again later");
            return;
        }
        counted = true;
        session = new Pop3Session(server, client, tls != null, implicitTls != null);
        if (implicitTls == null) {
            greet();
            return;
        }
        // pop3s: the greeting is the first thing said inside TLS.
        implicitTls.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                greet();
            } else {
                closing = true;
                ctx.close();
            }
        });
    }

    private void greet() {
        if (!closing) {
            send(session.greeting());
            flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage proxy) {
            onProxyHeader(proxy);
            return;
        }
        ByteBuf buf = (ByteBuf) msg;
        if (closing || session == null) {
            buf.release();
            return;
        }
        if (!in.isReadable()) {
            in.release();
            in = buf;
        } else {
            ByteBuf joined = ctx.alloc().buffer(in.readableBytes() + buf.readableBytes());
            joined.writeBytes(in).writeBytes(buf);
            in.release();
            buf.release();
            in = joined;
        }
        process();
    }

    private void onProxyHeader(HAProxyMessage proxy) {
        try {
            InetSocketAddress client = (InetSocketAddress) ctx.channel().remoteAddress();
            if (proxy.command() == HAProxyCommand.PROXY && proxy.sourceAddress() != null) {
                client = new InetSocketAddress(proxy.sourceAddress(), proxy.sourcePort());
            }
            begin(client); // LOCAL (a balancer's health check): the balancer itself
        } finally {
            proxy.release();
        }
    }

    /** Handles every complete command line; stops while one waits on the disk or a password check. */
    private void process() {
        while (!busy && !closing && in.isReadable()) {
            if (discarding) {
                int lf = in.indexOf(in.readerIndex(), in.writerIndex(), (byte) '\n');
                in.readerIndex(lf < 0 ? in.writerIndex() : lf + 1);
                if (lf >= 0) {
                    discarding = false;
                    apply(session.lineTooLong());
                }
                continue;
            }
            int start = in.readerIndex();
            int scan = Math.min(in.readableBytes(), MAX_COMMAND_LINE);
            int lf = in.indexOf(start, start + scan, (byte) '\n');
            if (lf < 0) {
                if (scan == MAX_COMMAND_LINE) {
                    in.skipBytes(scan); // too long: drop it up to its LF, then refuse it
                    discarding = true;
                    continue;
                }
                break; // an incomplete line: wait for more
            }
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            String line = in.toString(start, end - start, StandardCharsets.UTF_8);
            in.readerIndex(lf + 1);
            apply(session.onLine(line));
        }
        if (!in.isReadable() && in != Unpooled.EMPTY_BUFFER) {
            in.release();
            in = Unpooled.EMPTY_BUFFER;
        }
        flush();
    }

    private void apply(Step step) {
        // Java 17 has no pattern switch; Step is sealed, so this chain is exhaustive.
        if (step instanceof Step.Reply r) {
            send(r.line());
        } else if (step instanceof Step.Lines l) {
            StringBuilder b = new StringBuilder(l.status()).append("\r\n");
            for (String line : l.lines()) {
                b.append(line.startsWith(".") ? "." : "").append(line).append("\r\n");
            }
            b.append(".\r\n");
            ctx.write(Unpooled.copiedBuffer(b, StandardCharsets.UTF_8));
            unflushed = true;
        } else if (step instanceof Step.Close c) {
            closeWith(c.line());
        } else if (step instanceof Step.StartTls t) {
            startTls(t.line());
        } else if (step instanceof Step.Stream s) {
            send(s.status());
            stream(s.body());
        } else if (step instanceof Step.Later<?> later) {
            await(later);
        }
    }

    /** RFC 2595 section 4: "+OK", then the handshake; what was pipelined after STLS is dropped. */
    private void startTls(String line) {
        in.skipBytes(in.readableBytes());
        send(line);
        flush(); // the +OK leaves in the clear, before the TLS handler goes in below us
        SslHandler handler = tls.newHandler(ctx.alloc());
        ctx.pipeline().addBefore(ctx.name(), "qflux.tls", handler);
        handler.handshakeFuture().addListener(f -> {
            if (f.isSuccess()) {
                session.tlsStarted();
            } else {
                closing = true;
                ctx.close();
            }
        });
    }

    private <T> void await(Step.Later<T> later) {
        awaiting = true;
        pause();
        later.work().subscribe(
                value -> onLoop(() -> resume(later, value)),
                error -> onLoop(() -> {
                    server.log().log("warning: pop3 " + describe() + ": " + error);
                    resumed(new Step.Close("-ERR [SYS/TEMP] internal error; try again later"));
                }));
    }

    private <T> void resume(Step.Later<T> later, T value) {
        resumed(later.then().apply(value));
    }

    private void resumed(Step next) {
        busy = false;
        awaiting = false;
        if (ended) {
            if (next instanceof Step.Stream s) {
                closeLater(s.body());
            }
            session.abort(); // a mailbox opened for a client already gone is let go at once
            return;
        }
        apply(next);
        unpause();
    }

    private void stream(MessageReader reader) {
        pause();
        streaming = reader;
        lastProgress = System.nanoTime();
        pull(reader);
    }

    /** Reads the next chunk off the event loop; it is written, and only then the next one read. */
    private void pull(MessageReader reader) {
        Mono.fromCallable(() -> Optional.ofNullable(reader.next(ctx.alloc())))
                .subscribeOn(server.io())
                .subscribe(chunk -> onLoop(() -> write(reader, chunk.orElse(null))),
                        error -> onLoop(() -> {
                            server.log().log("warning: pop3 " + describe() + ": message read failed: "
                                    + error.getMessage());
                            streaming = null;
                            closing = true;
                            ctx.close(); // mid-body: no reply can be sent any more
                        }));
    }

    private void write(MessageReader reader, MessageReader.Chunk chunk) {
        if (ended || closing) {
            if (chunk != null) {
                chunk.bytes().release();
            }
            closeLater(reader);
            return;
        }
        if (chunk == null) {
            streamDone();
            return;
        }
        unflushed = false;
        ctx.writeAndFlush(chunk.bytes()).addListener(f -> {
            if (!f.isSuccess()) {
                return; // the connection is going; end() closes the reader
            }
            lastProgress = System.nanoTime();
            if (chunk.last()) {
                streamDone();
            } else {
                pull(reader);
            }
        });
    }

    private void streamDone() {
        streaming = null;
        busy = false;
        unpause();
    }

    private void pause() {
        busy = true;
        ctx.channel().config().setAutoRead(false);
        flush();
    }

    private void unpause() {
        if (busy || closing || ended) {
            return;
        }
        ctx.channel().config().setAutoRead(true);
        process();
    }

    /** control/timeoutpop3 passed without input, or a body stopped moving for as long. */
    void timeout() {
        if (closing) {
            return;
        }
        if (session == null) {
            closing = true; // a PROXY header that never came
            ctx.close();
            return;
        }
        long limit = server.config().pop3().timeout().toNanos();
        if (streaming != null && System.nanoTime() - lastProgress < limit) {
            return; // a long download that is still moving
        }
        if (busy && streaming == null) {
            return; // waiting on our own disk or password check is not the client's fault
        }
        closeWith("-ERR autologout: idle for too long");
    }

    private void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException shutDown) {
            // the event loops are gone; end() already let everything go
        }
    }

    private void closeLater(MessageReader reader) {
        try {
            server.io().schedule(reader::close);
        } catch (RuntimeException shutDown) {
            reader.close();
        }
    }

    private void send(String line) {
        ctx.write(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8));
        unflushed = true;
    }

    private void flush() {
        if (unflushed) {
            unflushed = false;
            ctx.flush();
        }
    }

    private void closeWith(String line) {
        closing = true;
        unflushed = false;
        ctx.writeAndFlush(Unpooled.copiedBuffer(line + "\r\n", StandardCharsets.UTF_8))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        end();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        end();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // No stack traces for what clients do (a reset, a failed handshake): one line.
        server.log().log("warning: pop3 " + describe() + ": " + cause.getClass().getSimpleName()
                + ": " + cause.getMessage());
        closing = true;
        ctx.close();
    }

    /** Without QUIT nothing is deleted; the mailbox lock and any open message are let go. */
    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        closing = true;
        in.release();
        in = Unpooled.EMPTY_BUFFER;
        if (streaming != null) {
            closeLater(streaming);
            streaming = null;
        }
        if (session != null && !awaiting) {
            session.abort();
        }
        if (counted) {
            server.sessionClosed();
        }
    }

    private String describe() {
        return "from " + ctx.channel().remoteAddress();
    }
}
