package dev.qflux.deliver.remote;

import dev.qflux.config.SecurityConfig.TlsPolicy;
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
    private final OutboundTls tls;
    private final ConnectTimeouts timeouts;

    SessionOpener(TcpClient client, RemoteOptions options, OutboundTls tls, ConnectTimeouts timeouts) {
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

    /**
     * Connects under {@code policy}: NONE never starts TLS; MAY starts it when offered and fails
     * with {@link TlsFailure} if the handshake fails; ENCRYPT and VERIFY fail the host with
     * {@link HostFailure} when STARTTLS is not offered or the handshake (with VERIFY: the
     * certificate check) fails. On port 465 TLS starts at connect (RFC 8314), whatever the policy.
     */
    Mono<SmtpConnection> open(RemoteTarget.Host host, TlsPolicy policy) {
        InetSocketAddress ip = host.address();
        String skipped = timeouts.skipReason(ip);
        if (skipped != null) {
            return Mono.error(new HostFailure(skipped)); // qmail-tcpto: the next host, at once
        }
        String address = ip.getAddress().getHostAddress();
        boolean implicit = host.address().getPort() == OutboundTls.IMPLICIT_TLS_PORT;
        return client.remoteAddress(host::address)
                .connect()
                .doOnNext(c -> timeouts.attempted(ip, false))
                .onErrorMap(e -> {
                    timeouts.attempted(ip, Texts.isTimeout(e));
                    return new HostFailure(Texts.noConnection(address, e));
                })
                .map(c -> new SmtpConnection(c, host))
                .flatMap(conn -> (implicit ? implicitTls(conn, policy).then(greet(conn, TlsPolicy.NONE))
                        : greet(conn, policy)).onErrorResume(e -> {
                            conn.close();
                            return Mono.error(e);
                        }));
    }

    private Mono<Void> implicitTls(SmtpConnection conn, TlsPolicy policy) {
        return conn.startTls(tls.context(policy == TlsPolicy.VERIFY ? policy : TlsPolicy.ENCRYPT))
                .timeout(options.replyTimeout())
                .onErrorMap(e -> new HostFailure(Texts.tlsRequired(conn.address(),
                        "TLS handshake failed (" + Texts.cause(e) + ")")));
    }

    private Mono<SmtpConnection> greet(SmtpConnection conn, TlsPolicy policy) {
        String address = conn.address();
        return await(conn, conn.reply(), "waiting for the greeting").flatMap(greeting -> {
            if (greeting.code() != 220) {
                return Mono.error(new HostFailure(Texts.connected(address, "greeting failed", greeting)));
            }
            return hello(conn);
        }).flatMap(ready -> {
            if (policy == TlsPolicy.NONE) {
                return Mono.just(ready);
            }
            boolean required = policy != TlsPolicy.MAY;
            if (!ready.capabilities().startTls()) {
                return required ? Mono.error(new HostFailure(Texts.tlsRequired(address,
                        "STARTTLS was not offered"))) : Mono.just(ready);
            }
            return startTls(ready, policy);
        });
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
    private Mono<SmtpConnection> startTls(SmtpConnection conn, TlsPolicy policy) {
        boolean required = policy != TlsPolicy.MAY;
        return await(conn, conn.command("STARTTLS"), "after STARTTLS").flatMap(reply -> {
            if (reply.code() != 220) {
                return required ? Mono.error(new HostFailure(Texts.tlsRequired(conn.address(),
                        "STARTTLS was refused: " + reply.code()))) : Mono.just(conn);
            }
            return conn.startTls(tls.context(policy))
                    .timeout(options.replyTimeout())
                    .onErrorMap(e -> !(e instanceof HostFailure), e -> required
                            ? new HostFailure(Texts.tlsRequired(conn.address(),
                                    "TLS handshake failed (" + Texts.cause(e) + ")"))
                            : new TlsFailure("TLS handshake with " + conn.address() + " failed ("
                                    + Texts.cause(e) + ")"))
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
