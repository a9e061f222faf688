package dev.qflux.deliver.remote;

import dev.qflux.deliver.RecipientOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelOption;
import dev.qflux.config.SecurityConfig.TlsPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;
import reactor.netty.tcp.TcpClient;

/**
 * qmail-remote over Reactor Netty: tries the target's hosts in order until one takes the
 * transaction, reusing an idle session to the same address when there is one. The outcome of
 * every recipient is in the result; the Mono only fails on a programming error.
 */
public final class SmtpClientDelivery implements RemoteDelivery, AutoCloseable {
    /** How long {@link #close} waits for idle sessions to answer QUIT. */
    static final Duration CLOSE_BOUND = Duration.ofSeconds(10);

    private final RemoteOptions options;
    private final LoopResources ownLoops;
    private final ConnectionPool pool;
    private final SessionOpener opener;

    private final OutboundTls tls;

    private SmtpClientDelivery(RemoteOptions options, LoopResources ownLoops, SessionOpener opener,
                               OutboundTls tls) {
        this.tls = tls;
        this.options = options;
        this.ownLoops = ownLoops;
        this.opener = opener;
        this.pool = new ConnectionPool(options.maxIdlePerHost(), options.idleTime());
    }

    public static SmtpClientDelivery create(RemoteOptions options) {
        return create(options, OutboundTls.opportunistic(options.opportunisticTls()));
    }

    /** With a TLS policy per destination (control/tlsdestinations). */
    public static SmtpClientDelivery create(RemoteOptions options, OutboundTls tls) {
        LoopResources own = options.loops() == null ? LoopResources.create("qflux-remote") : null;
        LoopResources loops = own != null ? own : options.loops();
        // Native transport (epoll) when available is LoopResources' default.
        TcpClient client = TcpClient.newConnection()
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis()))
                .doOnChannelInit((observer, channel, remote) -> SmtpConnection.install(channel));
        return new SmtpClientDelivery(options, own, new SessionOpener(client, options, tls,
                new ConnectTimeouts(System::currentTimeMillis)), tls);
    }

    @Override
    public Mono<RemoteResult> deliver(RemoteTarget target, String sender, List<String> recipients, long size,
                                      Supplier<Flux<ByteBuf>> body) {
        List<String> rcpts = List.copyOf(recipients);
        if (!sendable(sender)) {
            return Mono.just(new RemoteResult(Collections.nCopies(rcpts.size(), new RecipientOutcome.Failed(
                    "Sender address has characters SMTP cannot carry. (#5.1.7)")), target.domain()));
        }
        List<String> valid = rcpts.stream().filter(SmtpClientDelivery::sendable).toList();
        if (valid.isEmpty()) {
            return Mono.just(new RemoteResult(rcpts.stream().map(r -> BAD_RECIPIENT).toList(), target.domain()));
        }
        Mono<RemoteResult> result = Mono.defer(() -> tryHost(target, 0, sender, valid, size, body, null))
                // A bug here must not stop the caller's delivery pipeline: defer, and say why.
                .onErrorResume(e -> Mono.just(new RemoteResult(Collections.nCopies(valid.size(),
                        new RecipientOutcome.Deferred("Unexpected failure delivering to " + target.domain() + " ("
                                + Texts.cause(e) + "). (#4.3.0)")), target.domain())));
        if (valid.size() == rcpts.size()) {
            return result;
        }
        // Put the refused addresses back in their places among the outcomes.
        return result.map(r -> {
            List<RecipientOutcome> all = new ArrayList<>(rcpts.size());
            int next = 0;
            for (String rcpt : rcpts) {
                all.add(sendable(rcpt) ? r.recipients().get(next++) : BAD_RECIPIENT);
            }
            return new RemoteResult(all, r.host());
        });
    }

    private static final RecipientOutcome BAD_RECIPIENT = new RecipientOutcome.Failed(
            "Recipient address has characters SMTP cannot carry. (#5.1.3)");

    /**
     * An address we can put between angle brackets on a command line: no controls, spaces or
     * brackets, which would end or split the command (the spool should never hold one).
     */
    private static boolean sendable(String address) {
        return address.chars().noneMatch(c -> c <= ' ' || c == '<' || c == '>' || c == 0x7f);
    }

    private Mono<RemoteResult> tryHost(RemoteTarget target, int index, String sender, List<String> recipients,
                                       long size, Supplier<Flux<ByteBuf>> body, String lastReason) {
        List<RemoteTarget.Host> hosts = target.hosts();
        if (index == hosts.size()) {
            String reason = lastReason != null ? lastReason
                    : "Sorry, I couldn't find any host for " + target.domain() + ". (#4.4.1)";
            String last = hosts.isEmpty() ? target.domain() : label(hosts.get(hosts.size() - 1));
            return Mono.just(new RemoteResult(
                    Collections.nCopies(recipients.size(), new RecipientOutcome.Deferred(reason)), last));
        }
        RemoteTarget.Host host = hosts.get(index);
        return onHost(host, sender, recipients, size, body, tls.policyFor(target.domain()))
                .map(outcome -> new RemoteResult(outcome.recipients(), label(host)))
                .onErrorResume(SessionOpener.HostFailure.class,
                        f -> tryHost(target, index + 1, sender, recipients, size, body, f.getMessage()));
    }

    /**
     * One host: a pooled session if there is one, else a new one; TLS failure retries once in
     * plain text under MAY. A destination that requires TLS never reuses a pooled session, which
     * may be a plain-text one.
     */
    private Mono<MailTransaction.Outcome> onHost(RemoteTarget.Host host, String sender, List<String> recipients,
                                                 long size, Supplier<Flux<ByteBuf>> body, TlsPolicy policy) {
        boolean pooledOk = policy == TlsPolicy.MAY || policy == TlsPolicy.NONE;
        SmtpConnection pooled = pooledOk ? pool.acquire(host.address()) : null;
        if (pooled != null) {
            return transact(pooled, true, sender, recipients, size, body)
                    .onErrorResume(MailTransaction.StaleSession.class,
                            stale -> fresh(host, sender, recipients, size, body, policy));
        }
        return fresh(host, sender, recipients, size, body, policy);
    }

    private Mono<MailTransaction.Outcome> fresh(RemoteTarget.Host host, String sender, List<String> recipients,
                                                long size, Supplier<Flux<ByteBuf>> body, TlsPolicy policy) {
        return opener.open(host, policy)
                .flatMap(conn -> transact(conn, false, sender, recipients, size, body))
                .onErrorResume(SessionOpener.TlsFailure.class, f -> opener.open(host, TlsPolicy.NONE)
                        .flatMap(conn -> {
                            // Postfix's "may" level: say in every text that TLS was tried and failed.
                            conn.note(f.getMessage() + "; delivered without TLS");
                            return transact(conn, false, sender, recipients, size, body);
                        }));
    }

    private Mono<MailTransaction.Outcome> transact(SmtpConnection conn, boolean reused, String sender,
                                                   List<String> recipients, long size,
                                                   Supplier<Flux<ByteBuf>> body) {
        return new MailTransaction(conn, options.replyTimeout(), sender, recipients, size, body, reused).run()
                .doOnNext(outcome -> {
                    if (outcome.reusable()) {
                        pool.release(conn);
                    } else {
                        conn.close();
                    }
                })
                .doOnError(e -> conn.close())
                .doOnCancel(conn::close);
    }

    private static String label(RemoteTarget.Host host) {
        return host.name() + " [" + host.address().getAddress().getHostAddress() + "]";
    }

    /** Idle sessions to this address, for tests and metrics. */
    int idleSessions(java.net.InetSocketAddress address) {
        return pool.idleCount(address);
    }

    /** Ends idle sessions with QUIT (bounded) and releases our own event loops. */
    @Override
    public void close() {
        try {
            pool.close().block(CLOSE_BOUND);
        } catch (IllegalStateException slowQuit) {
            // the bound passed; the connections are closed below with their loops
        }
        if (ownLoops != null) {
            ownLoops.disposeLater(Duration.ZERO, CLOSE_BOUND).block(CLOSE_BOUND);
        }
    }
}
