package dev.qflux.pop3;

import dev.qflux.config.ListenSpec;
import dev.qflux.tls.ServerTls;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpServer;

/**
 * The {@code pop3} and {@code pop3s} listeners of control/listen on Reactor Netty's
 * {@link TcpServer} (epoll when available), as tcpserver ran qmail-popup. Each connection gets,
 * in order: Netty's PROXY v1/v2 decoder when the peer is a trusted load balancer, TLS from the
 * first byte on pop3s (RFC 8314), then {@link Pop3ChannelHandler}; and a read-idle timer for
 * control/timeoutpop3.
 */
public final class Pop3Server implements AutoCloseable {
    /** Pending connections the kernel queues per listener (listen(2) backlog). */
    static final int ACCEPT_BACKLOG = 256;
    /** Event-loop threads: POP3 is light next to SMTP, and its disk work runs elsewhere. */
    static final int WORKERS = 2;

    private final LoopResources loops;
    private final List<DisposableServer> bound;

    private Pop3Server(LoopResources loops, List<DisposableServer> bound) {
        this.loops = loops;
        this.bound = bound;
    }

    /**
     * Binds every pop3 and pop3s listener of {@code listeners} (others are skipped); fails, and
     * binds nothing, if an address cannot be bound, or a pop3s listener has no certificate.
     * Reads control/servercert.pem, so call it at start-up, not on an event loop.
     */
    /** The same certificate handling as SMTP's STARTTLS (TLS 1.2/1.3 from servercert.pem). */
    private static ServerTls loadCertificate(Path cert) {
        try {
            return ServerTls.load(cert);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    public static Pop3Server start(Pop3Context server, List<ListenSpec> listeners) {
        Path cert = server.config().pop3().serverCert();
        ServerTls tls = null;
        LoopResources loops = LoopResources.create("qflux-pop3", 1, WORKERS, true);
        List<DisposableServer> bound = new ArrayList<>();
        try {
            for (ListenSpec spec : listeners) {
                boolean implicit = spec.protocol().equals("pop3s");
                if (!implicit && !spec.protocol().equals("pop3")) {
                    continue;
                }
                if (tls == null && cert != null) {
                    tls = loadCertificate(cert);
                }
                if (implicit && tls == null) {
                    throw new IllegalStateException("a pop3s listener on " + spec.address()
                            + " needs control/servercert.pem (certificate chain and private key)");
                }
                bound.add(bind(server, spec, implicit, tls, loops));
            }
        } catch (RuntimeException e) {
            bound.forEach(DisposableServer::disposeNow);
            loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(15));
            throw e;
        }
        return new Pop3Server(loops, bound);
    }

    private static DisposableServer bind(Pop3Context server, ListenSpec spec, boolean implicit,
                                         ServerTls tls, LoopResources loops) {
        return TcpServer.create()
                .runOn(loops)
                .bindAddress(spec::address)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .doOnConnection(conn -> {
                    InetSocketAddress peer = (InetSocketAddress) conn.channel().remoteAddress();
                    // PROXY headers are only believed from configured balancer networks.
                    boolean proxied = spec.proxyEnabled() && spec.proxyTrusted(peer.getAddress());
                    if (proxied) {
                        conn.addHandlerLast("qflux.proxy", new HAProxyMessageDecoder());
                    }
                    SslHandler implicitTls = null;
                    if (implicit) {
                        implicitTls = tls.newHandler(conn.channel().alloc());
                        conn.addHandlerLast("qflux.tls", implicitTls);
                    }
                    Pop3ChannelHandler handler = new Pop3ChannelHandler(server, proxied, tls, implicitTls);
                    conn.addHandlerLast("qflux.pop3", handler);
                    conn.onReadIdle(server.config().pop3().timeout().toMillis(), handler::timeout);
                })
                .handle((in, out) -> Mono.never())
                .bindNow(Duration.ofSeconds(30));
    }

    /** The addresses actually bound, in control/listen order (port 0 becomes the real port). */
    public List<InetSocketAddress> addresses() {
        List<InetSocketAddress> out = new ArrayList<>();
        for (DisposableServer s : bound) {
            out.add((InetSocketAddress) s.address());
        }
        return out;
    }

    /** Stops accepting; open sessions are closed without QUIT, so they delete nothing. */
    @Override
    public void close() {
        for (DisposableServer s : bound) {
            s.disposeNow(Duration.ofSeconds(10));
        }
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(10)).block(Duration.ofSeconds(15));
    }
}
