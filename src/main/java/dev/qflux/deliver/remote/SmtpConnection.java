package dev.qflux.deliver.remote;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.NettyPipeline;

/**
 * One client SMTP connection: writes commands and message content and hands out the replies
 * that {@link ReplyReader} matches to them, in order (which is all PIPELINING needs, RFC 2920
 * 3.1). Also carries what the session learnt (EHLO keywords, a remark for outcome texts).
 */
final class SmtpConnection {
    private static final String READER = "qflux.smtp.replies";

    private final Connection connection;
    private final RemoteTarget.Host host;
    private final ReplyReader reader;
    private EhloCapabilities capabilities = EhloCapabilities.NONE;
    private String note = "";
    /** Counts the times this session went idle in the pool; guarded by the pool's lock. */
    private long idleEpoch;

    /**
     * Puts the reply reader in place as the channel is set up (TcpClient's doOnChannelInit),
     * so it is there before the greeting can arrive; Reactor Netty's own inbound never sees a
     * byte.
     */
    static void install(Channel channel) {
        ReplyReader reader = new ReplyReader(channel);
        if (channel.pipeline().get(NettyPipeline.ReactiveBridge) != null) {
            channel.pipeline().addBefore(NettyPipeline.ReactiveBridge, READER, reader);
        } else {
            channel.pipeline().addLast(READER, reader);
        }
    }

    SmtpConnection(Connection connection, RemoteTarget.Host host) {
        this.connection = connection;
        this.host = host;
        this.reader = (ReplyReader) connection.channel().pipeline().get(READER);
        if (reader == null) {
            throw new IllegalStateException("connection made without SmtpConnection.install");
        }
        connection.channel().config().setAutoRead(true);
    }

    RemoteTarget.Host host() {
        return host;
    }

    /** The address for texts, as qmail-remote prints it. */
    String address() {
        return host.address().getAddress().getHostAddress();
    }

    EhloCapabilities capabilities() {
        return capabilities;
    }

    void capabilities(EhloCapabilities capabilities) {
        this.capabilities = capabilities;
    }

    /** A remark for every outcome text of transactions on this connection (e.g. a TLS fallback). */
    String note() {
        return note;
    }

    void note(String note) {
        this.note = note;
    }

    /** Usable for another transaction: open, and nothing has gone wrong on it. */
    boolean usable() {
        return !reader.broken() && connection.channel().isActive();
    }

    EventLoop eventLoop() {
        return connection.channel().eventLoop();
    }

    ByteBufAllocator allocator() {
        return connection.channel().alloc();
    }

    long markIdle() {
        return ++idleEpoch;
    }

    long idleEpoch() {
        return idleEpoch;
    }

    /** The next reply, for the greeting or after content was sent. */
    Mono<SmtpReply> reply() {
        return expect(1).get(0);
    }

    /** Writes one command line (CRLF added) and returns its reply. */
    Mono<SmtpReply> command(String line) {
        return commands(List.of(line)).get(0);
    }

    /** Writes all lines in one flush (RFC 2920) and returns their replies in order. */
    List<Mono<SmtpReply>> commands(List<String> lines) {
        List<Mono<SmtpReply>> replies = expect(lines.size());
        StringBuilder text = new StringBuilder();
        for (String line : lines) {
            text.append(line).append("\r\n");
        }
        Channel channel = connection.channel();
        channel.writeAndFlush(ByteBufUtil.writeUtf8(channel.alloc(), text));
        return replies;
    }

    /** Sends message content with backpressure; completes once it is all written. */
    Mono<Void> send(Publisher<ByteBuf> content) {
        return connection.outbound().send(content).then();
    }

    /**
     * Starts TLS on this connection, after the server's 220 to STARTTLS (RFC 3207 4). Input read
     * before the handshake would be plaintext injected ahead of it, so it fails the connection.
     */
    Mono<Void> startTls(SslContext context) {
        Channel channel = connection.channel();
        return Mono.<Void>create(sink -> channel.eventLoop().execute(() -> {
            if (reader.hasUnreadInput()) {
                sink.error(new SmtpProtocolException("plaintext after STARTTLS's reply"));
                return;
            }
            InetSocketAddress peer = host.address();
            SslHandler ssl = context.newHandler(channel.alloc(), host.name(), peer.getPort());
            channel.pipeline().addFirst("qflux.tls", ssl);
            ssl.handshakeFuture().addListener(f -> {
                if (f.isSuccess()) {
                    sink.success();
                } else {
                    sink.error(f.cause());
                }
            });
        }));
    }

    /** Marks the connection as not reusable and closes it. */
    void close() {
        reader.markBroken();
        connection.dispose();
    }

    /** Sends QUIT, waits for its reply or the given bound, then closes (RFC 5321 4.1.1.10). */
    Mono<Void> quit(Duration bound) {
        if (!connection.channel().isActive()) {
            close();
            return Mono.empty();
        }
        return command("QUIT").timeout(bound).then()
                .onErrorResume(e -> Mono.empty())
                .doFinally(s -> close());
    }

    private List<Mono<SmtpReply>> expect(int count) {
        List<Sinks.One<SmtpReply>> sinks = new ArrayList<>(count);
        List<Mono<SmtpReply>> monos = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Sinks.One<SmtpReply> sink = Sinks.one();
            sinks.add(sink);
            monos.add(sink.asMono());
        }
        Channel channel = connection.channel();
        if (channel.eventLoop().inEventLoop()) {
            reader.claim(sinks);
        } else {
            channel.eventLoop().execute(() -> reader.claim(sinks));
        }
        return monos;
    }

    /** The server broke the protocol: a malformed or oversized reply, or plaintext after STARTTLS. */
    static final class SmtpProtocolException extends RuntimeException {
        SmtpProtocolException(String message) {
            super(message, null, false, false);
        }
    }

    /** The connection closed while a reply was awaited. */
    static final class ConnectionLostException extends RuntimeException {
        ConnectionLostException() {
            super("connection lost", null, false, false);
        }
    }
}
