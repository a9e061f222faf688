package dev.qflux.smtp.server;

import dev.qflux.config.ListenSpec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The SMTP listeners of control/listen on Reactor Netty's {@link TcpServer} (epoll when
 * available). Each connection gets, in order: Netty's PROXY v1/v2 decoder when the peer is a
 * trusted load balancer, then on {@code smtps} listeners a TLS handler, then
 * {@link SmtpChannelHandler}; and a read-idle timer for timeoutsmtpd.
 */
public final class SmtpServer implements AutoCloseable {
    /** Pending connections the kernel queues per listener (listen(2) backlog). */
    static final int ACCEPT_BACKLOG = 1024;
    /** Closing a listening socket is quick; this only bounds a wedged event loop. */
    private static final Duration STOP_ACCEPTING_BOUND = Duration.ofSeconds(10);

    private final LoopResources loops;
    private final List<DisposableServer> bound;
    private final ChannelGroup connections;

    private SmtpServer(LoopResources loops, List<DisposableServer> bound, ChannelGroup connections) {
        this.loops = loops;
        this.bound = bound;
        this.connections = connections;
    }

    /** Binds every smtp listener; fails (and binds nothing) if any address cannot be bound. */
    public static SmtpServer start(ServerContext server, List<ListenSpec> listeners) {
        for (ListenSpec spec : listeners) {
            if (spec.protocol().equals("smtps") && server.security().tls() == null) {
                throw new IllegalStateException("an smtps listener needs control/servercert.pem");
            }
        }
        int workers = Math.max(2, Runtime.getRuntime().availableProcessors());
        LoopResources loops = LoopResources.create("qflux-smtp", 1, workers, true);
        List<DisposableServer> bound = new ArrayList<>();
        // Open connections, so a stop can wait for them and then close the stragglers; a closed
        // channel leaves the group by itself.
        ChannelGroup connections = new DefaultChannelGroup("qflux-smtp", GlobalEventExecutor.INSTANCE);
        try {
            for (ListenSpec spec : listeners) {
                if (spec.protocol().equals("smtp") || spec.protocol().equals("smtps")) {
                    bound.add(bind(server, spec, loops, connections));
                }
            }
        } catch (RuntimeException e) {
            bound.forEach(DisposableServer::disposeNow);
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(15));
            throw e;
        }
        return new SmtpServer(loops, bound, connections);
    }

    private static DisposableServer bind(ServerContext server, ListenSpec spec, LoopResources loops,
                                         ChannelGroup connections) {
        return TcpServer.create()
                .runOn(loops)
                .bindAddress(spec::address)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                // TCP_NODELAY: Netty already sets it on every accepted socket.
                .doOnConnection(conn -> {
                    connections.add(conn.channel());
                    InetSocketAddress peer = (InetSocketAddress) conn.channel().remoteAddress();
                    // PROXY headers are only believed from configured balancer networks; anyone
                    // else is served directly and a PROXY line from them is refused.
                    boolean proxied = spec.proxyEnabled() && spec.proxyTrusted(peer.getAddress());
                    if (proxied) {
                        conn.addHandlerLast("qflux.proxy", new HAProxyMessageDecoder());
                    }
                    boolean implicitTls = spec.protocol().equals("smtps");
                    if (implicitTls) {
                        // RFC 8314 section 3: TLS from the first byte (after a PROXY header).
                        conn.addHandlerLast("qflux.tls", server.security().tls().newHandler(conn.channel().alloc()));
                    }
                    SmtpChannelHandler handler = new SmtpChannelHandler(server, proxied, implicitTls,
                            "required".equals(spec.options().get("auth")));
                    conn.addHandlerLast("qflux.smtp", handler);
                    conn.onReadIdle(server.config().timeoutSmtpd().toMillis(), handler::timeout);
                })
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(30));
    }

    /** The addresses actually bound (port 0 in control/listen becomes the real port). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (DisposableServer s : bound) {
            out.add((InetSocketAddress) s.address());
        }
        return out;
    }

    /** Closes the listening sockets only: open sessions go on, new clients are refused by the kernel. */
    public void stopAccepting() {
        for (DisposableServer s : bound) {
            s.channel().close().awaitUninterruptibly(STOP_ACCEPTING_BOUND.toMillis());
        }
    }

    /** SMTP connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Every open session answers 421 4.3.2 and closes (after a reply the spool owes it). */
    public void shutdownSessions() {
        for (Channel ch : connections) {
            ch.eventLoop().execute(() -> {
                SmtpChannelHandler handler = ch.pipeline().get(SmtpChannelHandler.class);
                if (handler != null) {
                    handler.shutdown();
                } else {
                    ch.close();
                }
            });
        }
    }

    /** Stops accepting; open connections are closed. */
    @Override
    public void close() {
        for (DisposableServer s : bound) {
            s.disposeNow(Duration.ofSeconds(10));
        }
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(15));
    }
}
