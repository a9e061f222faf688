package dev.qflux.deliver.remote;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Sinks;

/**
 * The inbound end of an SMTP client connection: frames replies and hands each to the oldest
 * waiting request. A reply nobody waits for yet is kept until someone asks; a server that sends
 * more than {@link #MAX_UNCLAIMED} of those, a malformed reply, or a closed connection fails
 * every waiting and future request. Event-loop confined, except {@link #broken}.
 */
final class ReplyReader extends ChannelInboundHandlerAdapter {
    /** Replies read ahead of any request: only a greeting or a stray 421 are legitimate. */
    static final int MAX_UNCLAIMED = 8;

    private final Channel channel;
    private volatile boolean broken;
    private final ReplyParser parser = new ReplyParser();
    private final ArrayDeque<Sinks.One<SmtpReply>> waiting = new ArrayDeque<>();
    private final ArrayDeque<SmtpReply> unclaimed = new ArrayDeque<>();
    private final List<SmtpReply> read = new ArrayList<>();
    private RuntimeException failure;

    ReplyReader(Channel channel) {
        this.channel = channel;
    }

    boolean broken() {
        return broken;
    }

    void markBroken() {
        broken = true;
    }

    /** True when input was read that no request has taken: after STARTTLS's 220, injected plaintext. */
    boolean hasUnreadInput() {
        return parser.hasPartialInput() || !unclaimed.isEmpty();
    }

    void claim(List<Sinks.One<SmtpReply>> sinks) {
        for (Sinks.One<SmtpReply> sink : sinks) {
            if (!unclaimed.isEmpty()) {
                sink.tryEmitValue(unclaimed.poll());
            } else if (failure != null) {
                sink.tryEmitError(failure);
            } else {
                waiting.add(sink);
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            if (failure != null) {
                return;
            }
            boolean ok = parser.feed(buf, read);
            for (SmtpReply reply : read) {
                Sinks.One<SmtpReply> sink = waiting.poll();
                if (sink != null) {
                    sink.tryEmitValue(reply);
                } else {
                    unclaimed.add(reply);
                }
            }
            read.clear();
            if (!ok) {
                fail(new SmtpConnection.SmtpProtocolException(parser.failure()));
            } else if (unclaimed.size() > MAX_UNCLAIMED) {
                fail(new SmtpConnection.SmtpProtocolException("replies nobody asked for"));
            }
        } finally {
            buf.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        broken = true;
        if (failure == null) {
            failure = new SmtpConnection.ConnectionLostException();
        }
        failWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause instanceof RuntimeException r ? r : new SmtpConnection.ConnectionLostException());
    }

    private void fail(RuntimeException cause) {
        broken = true;
        if (failure == null) {
            failure = cause;
        }
        failWaiting();
        channel.close();
    }

    private void failWaiting() {
        Sinks.One<SmtpReply> sink;
        while ((sink = waiting.poll()) != null) {
            sink.tryEmitError(failure);
        }
    }
}
