package dev.qflux.deliver.remote;

import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import reactor.core.publisher.Mono;
import reactor.netty.tcp.TcpClient;

/**
 * Opens an SMTP session ready for MAIL (RFC 5321 3.1, 4.1.1.1): connect, 220 greeting, EHLO (HELO
 * when EHLO gets a 5xx), and STARTTLS with a second EHLO when offered (RFC 3207 4.2). Whatever
 * keeps this host from taking mail fails the Mono with {@link HostFailure}, so the next host is
 * tried; a failed TLS handshake fails it with {@link TlsFailure}.
 */
final class SessionOpener {
    private final TcpClient client;
    private final RemoteOptions options;
    private final SslContext tls;
    private final ConnectTimeouts timeouts;

    SessionOpener(TcpClient client, RemoteOptions options, SslContext tls, ConnectTimeouts timeouts) {
        this.client = client;
        this.options = options;
        this.tls = tls;
        this.timeouts = timeouts;
    }

    /** This host cannot take mail now; {@code reason} is the qmail-style text. */
    static final class HostFailure extends RuntimeException {
        HostFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    /** The TLS handshake failed; the connection is closed. */
    static final class TlsFailure extends RuntimeException {
        TlsFailure(String reason) {
            super(reason, null, false, false);
        }
    }

    Mono<SmtpConnection> open(RemoteTarget.Host host, boolean tryTls) {
        InetSocketAddress ip = host.address();
        String skipped = timeouts.skipReason(ip);
        if (skipped != null) {
            return Mono.error(new HostFailure(skipped)); // qmail-tcpto: the next host, at once
        }
        String address = ip.getAddress().getHostAddress();
        return client.remoteAddress(host::address)
                .connect()
                .doOnNext(c -> timeouts.attempted(ip, false))
                .onErrorMap(e -> {
                    timeouts.attempted(ip, Texts.isTimeout(e));
                    return new HostFailure(Texts.noConnection(address, e));
                })
                .map(c -> new SmtpConnection(c, host))
                .flatMap(conn -> greet(conn, tryTls).onErrorResume(e -> {
                    conn.close();
                    return Mono.error(e);
                }));
    }

    private Mono<SmtpConnection> greet(SmtpConnection conn, boolean tryTls) {
        String address = conn.address();
        return await(conn, conn.reply(), "waiting for the greeting").flatMap(greeting -> {
            if (greeting.code() != 220) {
                return Mono.error(new HostFailure(Texts.connected(address, "greeting failed", greeting)));
            }
            return hello(conn);
        }).flatMap(ready -> tryTls && tls != null && ready.capabilities().startTls()
                ? startTls(ready) : Mono.just(ready));
    }

    /** EHLO, or HELO when EHLO is refused permanently (RFC 5321 4.1.1.1, 3.2). */
    private Mono<SmtpConnection> hello(SmtpConnection conn) {
        return await(conn, conn.command("EHLO " + options.heloHost()), "after EHLO").flatMap(ehlo -> {
            if (ehlo.code() == 250) {
                conn.capabilities(EhloCapabilities.parse(ehlo));
                return Mono.just(conn);
            }
            if (ehlo.code() >= 500) {
                return await(conn, conn.command("HELO " + options.heloHost()), "after HELO")
                        .flatMap(helo -> helo.code() == 250 ? Mono.just(conn)
                                : Mono.error(new HostFailure(
                                        Texts.connected(conn.address(), "my name was rejected", helo))));
            }
            return Mono.error(new HostFailure(Texts.connected(conn.address(), "my name was rejected", ehlo)));
        });
    }

    /**
     * Opportunistic TLS: no certificate check, as for unauthenticated MX delivery (RFC 7435). A
     * refusal of STARTTLS itself leaves the session in plain text (RFC 3207 4); a failed
     * handshake closes the connection and the caller may try once more without TLS.
     */
    private Mono<SmtpConnection> startTls(SmtpConnection conn) {
        return await(conn, conn.command("STARTTLS"), "after STARTTLS").flatMap(reply -> {
            if (reply.code() != 220) {
                return Mono.just(conn);
            }
            return conn.startTls(tls)
                    .timeout(options.replyTimeout())
                    .onErrorMap(e -> !(e instanceof HostFailure), e -> new TlsFailure(
                            "TLS handshake with " + conn.address() + " failed (" + Texts.cause(e) + ")"))
                    .then(Mono.defer(() -> {
                        conn.capabilities(EhloCapabilities.NONE); // forget what was said in plain text
                        return hello(conn);
                    }));
        });
    }

    private Mono<SmtpReply> await(SmtpConnection conn, Mono<SmtpReply> reply, String phase) {
        return reply.timeout(options.replyTimeout())
                .onErrorMap(e -> new HostFailure(Texts.lost(conn.address(), phase, e, false)))
                .flatMap(r -> r.code() == 421
                        ? Mono.error(new HostFailure(Texts.connected(conn.address(), "it closed the session", r)))
                        : Mono.just(r));
    }
}
