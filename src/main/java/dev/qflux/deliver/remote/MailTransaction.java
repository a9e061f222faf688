package dev.qflux.deliver.remote;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.deliver.RecipientOutcome.Deferred;
import dev.qflux.deliver.RecipientOutcome.Delivered;
import dev.qflux.deliver.RecipientOutcome.Failed;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One mail transaction on a ready session (RFC 5321 3.3): MAIL, every RCPT, DATA, the content,
 * after which the session can carry the next message (RSET only after a transaction that stopped
 * part-way). With PIPELINING the envelope goes out in
 * one write and its replies are read in order (RFC 2920 3.1). Every reply becomes a recipient
 * outcome in qmail-remote's words; whatever breaks the session defers what is still open and
 * marks the session as not reusable.
 */
final class MailTransaction {
    /**
     * Messages up to this size, to a server offering 8BITMIME, are read from the spool once and
     * kept for the transaction: the 8-bit scan and the content share that read. Larger ones are
     * read twice rather than held. Heap bound: concurrencyremote times this (5 MiB at 20).
     */
    static final int READ_ONCE_MAX_BYTES = 256 << 10;

    /** Result: one outcome per recipient, and whether the session may carry another message. */
    record Outcome(List<RecipientOutcome> recipients, boolean reusable) {
    }

    /**
     * A reused session turned out to be dead before MAIL was answered (the server dropped it
     * while idle); nothing was sent, so the caller opens a fresh one.
     */
    static final class StaleSession extends RuntimeException {
        StaleSession() {
            super("idle session was closed by the server", null, false, false);
        }
    }

    private final SmtpConnection conn;
    /** The end of the content was answered: the transaction is finished on both sides. */
    private boolean complete;
    private final Duration replyTimeout;
    private final String sender;
    private final List<String> recipients;
    private final long size;
    private final Supplier<Flux<ByteBuf>> body;
    /** Where the content comes from: the spool, or the copy read once for a small message. */
    private Supplier<Flux<ByteBuf>> content;
    private final boolean reused;
    private final String address;
    private final RecipientOutcome[] outcomes;
    private final boolean[] accepted;
    private boolean senderRefused;
    private boolean dataOpen;
    private boolean drop;

    MailTransaction(SmtpConnection conn, Duration replyTimeout, String sender, List<String> recipients,
                    long size, Supplier<Flux<ByteBuf>> body, boolean reused) {
        this.conn = conn;
        this.replyTimeout = replyTimeout;
        this.sender = sender;
        this.recipients = recipients;
        this.size = size;
        this.body = body;
        this.content = body;
        this.reused = reused;
        this.address = conn.address();
        this.outcomes = new RecipientOutcome[recipients.size()];
        this.accepted = new boolean[recipients.size()];
    }

    Mono<Outcome> run() {
        EhloCapabilities caps = conn.capabilities();
        if (caps.sizeLimit() > 0 && size > caps.sizeLimit()) {
            // RFC 1870 6.1: do not send a message the server said it will not take.
            return Mono.just(allFinal(new Failed("Connected to " + address + " but the message (" + size
                    + " bytes) is larger than its SIZE limit of " + caps.sizeLimit()
                    + "./552 5.3.4 message size exceeds fixed maximum message size")));
        }
        boolean utf8 = !ascii(sender) || recipients.stream().anyMatch(r -> !ascii(r));
        if (utf8 && !caps.smtpUtf8()) {
            // RFC 6531 3.4: without SMTPUTF8 the addresses cannot be sent; no downgrade exists.
            return Mono.just(allFinal(new Failed("Connected to " + address
                    + " but it does not support SMTPUTF8, which the addresses need. (#5.6.7)")));
        }
        Mono<Outcome> attempt;
        if (!caps.eightBitMime()) {
            attempt = exchange(caps, false, utf8);
        } else if (size <= READ_ONCE_MAX_BYTES) {
            // One spool read serves both the 8-bit scan (RFC 6152 BODY=) and the content.
            attempt = Mono.usingWhen(readWhole(), whole -> {
                content = () -> Flux.just(whole.retainedDuplicate());
                return exchange(caps, whole.forEachByte(b -> b >= 0) >= 0, utf8);
            }, whole -> Mono.fromRunnable(() -> ReferenceCountUtil.safeRelease(whole)));
        } else {
            attempt = BodyScan.hasEightBit(body).flatMap(eb -> exchange(caps, eb, utf8));
        }
        return attempt
                .onErrorResume(e -> !(e instanceof StaleSession), e -> {
                    drop = true;
                    openDeferred(e instanceof PhaseFailure ? e.getMessage()
                            : e instanceof BodyError ? "Unable to read the message for " + address + ": "
                                    + Texts.oneLine(String.valueOf(e.getMessage())) + ". (#4.3.0)"
                            : Texts.lost(address, "during the transaction", e, dataOpen));
                    return Mono.just(result());
                });
    }

    private Mono<Outcome> exchange(EhloCapabilities caps, boolean eightBit, boolean utf8) {
        return envelope(mailCommand(caps, eightBit, utf8))
                .then(Mono.defer(this::content))
                .then(Mono.defer(this::reset));
    }

    /** The whole message from the spool in one buffer (the caller releases it). */
    private Mono<ByteBuf> readWhole() {
        ByteBufAllocator alloc = conn.allocator();
        return Flux.defer(body)
                .collect(() -> alloc.compositeDirectBuffer(Integer.MAX_VALUE),
                        (CompositeByteBuf all, ByteBuf chunk) -> all.addComponent(true, chunk))
                .map(all -> (ByteBuf) all)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease)
                .onErrorMap(BodyError::new);
    }

    private String mailCommand(EhloCapabilities caps, boolean eightBit, boolean utf8) {
        StringBuilder mail = new StringBuilder("MAIL FROM:<").append(sender).append('>');
        if (caps.size()) {
            mail.append(" SIZE=").append(size);
        }
        if (eightBit) {
            mail.append(" BODY=8BITMIME"); // RFC 6152 2
        }
        if (utf8) {
            mail.append(" SMTPUTF8");
        }
        return mail.toString();
    }

    /** MAIL, the RCPTs and DATA; index 0 is MAIL, 1..n the recipients, n + 1 DATA. */
    private Mono<Void> envelope(String mail) {
        List<String> lines = new ArrayList<>(recipients.size() + 2);
        lines.add(mail);
        recipients.forEach(r -> lines.add("RCPT TO:<" + r + ">"));
        lines.add("DATA");
        if (conn.capabilities().pipelining()) {
            List<Mono<SmtpReply>> replies = conn.commands(lines);
            return Flux.range(0, lines.size())
                    .concatMap(i -> await(replies.get(i), i).map(r -> record(i, r)))
                    .takeUntil(stop -> stop)
                    .then();
        }
        return Flux.range(0, lines.size())
                .concatMap(i -> Mono.defer(() -> {
                    if (i == lines.size() - 1 && !anyAccepted()) {
                        return Mono.just(true); // RFC 5321 3.3: no DATA without a recipient
                    }
                    return await(conn.command(lines.get(i)), i).map(r -> record(i, r) || senderRefused);
                }))
                .takeUntil(stop -> stop)
                .then();
    }

    private Mono<SmtpReply> await(Mono<SmtpReply> reply, int index) {
        return reply.timeout(replyTimeout).onErrorMap(e -> {
            if (reused && index == 0 && e instanceof SmtpConnection.ConnectionLostException) {
                return new StaleSession();
            }
            return new PhaseFailure(Texts.lost(address, phase(index), e, false));
        }).flatMap(r -> reused && index == 0 && r.code() == 421 ? Mono.error(new StaleSession()) : Mono.just(r));
    }

    private String phase(int index) {
        if (index == 0) {
            return "after MAIL";
        }
        return index <= recipients.size() ? "after RCPT" : "after DATA";
    }

    /** Records one envelope reply; true when the transaction cannot go on. */
    private boolean record(int index, SmtpReply reply) {
        if (reply.code() == 421) {
            // RFC 5321 3.8: the server is closing the session; everything still open waits.
            drop = true;
            openDeferred(Texts.connected(address, "it closed the session", reply));
            return true;
        }
        int last = recipients.size() + 1;
        if (index == 0) {
            if (!reply.positive()) {
                senderRefused = true;
                String text = Texts.connected(address, "sender was rejected", reply);
                Arrays.fill(outcomes, reply.transientFailure() ? new Deferred(note(text)) : new Failed(note(text)));
            }
        } else if (index < last) {
            int r = index - 1;
            if (senderRefused) {
                return false;
            }
            if (reply.positive()) {
                accepted[r] = true;
            } else {
                String text = note(address + " does not like recipient./" + Texts.remoteSaid(reply));
                outcomes[r] = reply.transientFailure() ? new Deferred(text) : new Failed(text);
            }
        } else if (reply.code() == 354) {
            dataOpen = true;
        } else if (!senderRefused && anyAccepted()) {
            String text = note(address + " failed on DATA command./" + Texts.remoteSaid(reply));
            settleAccepted(reply.transientFailure() ? new Deferred(text) : new Failed(text));
        }
        return false;
    }

    /**
     * After 354: the content and its reply. A 354 with nobody to send to (possible when
     * pipelined, RFC 2920 3.1) gets an empty message ended at once; its reply does not matter.
     */
    private Mono<Void> content() {
        if (drop || !dataOpen) {
            return Mono.empty();
        }
        boolean empty = senderRefused || !anyAccepted();
        Mono<SmtpReply> reply = conn.reply(); // claimed before sending: a server may answer early
        ByteBufAllocator alloc = conn.allocator();
        Flux<ByteBuf> data = empty
                ? Flux.defer(() -> Flux.just(new DotStuffer().finish(alloc)))
                : Flux.defer(() -> {
                    DotStuffer stuffer = new DotStuffer();
                    return content.get().map(b -> stuffer.encode(b, alloc))
                            .concatWith(Mono.fromCallable(() -> stuffer.finish(alloc)));
                }).onErrorMap(BodyError::new);
        data = data.doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
        return conn.send(data)
                // A write that failed because the server closed: its reply may have come first.
                .onErrorResume(e -> !(e instanceof BodyError), e -> Mono.empty())
                .then(Mono.defer(() -> reply.timeout(replyTimeout)))
                .doOnNext(r -> {
                    complete = true;
                    if (!empty) {
                        settleAfterContent(r);
                    }
                })
                .onErrorResume(e -> {
                    drop = true; // mid-DATA or unanswered: the session cannot be trusted
                    Throwable cause = e instanceof BodyError ? e.getCause() : e;
                    if (cause instanceof DotStuffer.LineTooLongException) {
                        // The dot was never sent, so the server discards what it got.
                        settleAccepted(new Failed(note("Message has a line longer than " + DotStuffer.MAX_LINE
                                + " octets; it cannot be sent by SMTP unchanged. (#5.6.0)")));
                    } else if (e instanceof BodyError) {
                        settleAccepted(new Deferred(note("Unable to read the message for " + address + ": "
                                + Texts.oneLine(String.valueOf(cause.getMessage())) + ". (#4.3.0)")));
                    } else {
                        settleAccepted(new Deferred(note(Texts.lost(address, "after I sent the message", e, true))));
                    }
                    return Mono.empty();
                })
                .then();
    }

    /** The content could not be produced (spool read error, or a line too long to send). */
    static final class BodyError extends RuntimeException {
        BodyError(Throwable cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    private void settleAfterContent(SmtpReply reply) {
        if (reply.positive()) {
            settleAccepted(new Delivered(note(address + " accepted message./" + Texts.remoteSaid(reply))));
            return;
        }
        if (reply.code() == 421) {
            drop = true;
        }
        String text = note(address + " failed after I sent the message./" + Texts.remoteSaid(reply));
        settleAccepted(reply.transientFailure() ? new Deferred(text) : new Failed(text));
    }

    /**
     * RSET leaves the session clean for the next message (RFC 5321 4.1.1.5). After the reply to
     * the end of the content the transaction is over and the server has cleared its state
     * (RFC 5321 4.1.1.4), so RSET is only sent when a transaction stopped part-way.
     */
    private Mono<Outcome> reset() {
        if (drop || complete) {
            return Mono.just(result());
        }
        return conn.command("RSET").timeout(replyTimeout)
                .map(r -> new Outcome(finalOutcomes(), r.code() == 250))
                .onErrorResume(e -> Mono.just(new Outcome(finalOutcomes(), false)));
    }

    private Outcome result() {
        return new Outcome(finalOutcomes(), !drop);
    }

    private Outcome allFinal(RecipientOutcome outcome) {
        Arrays.fill(outcomes, outcome);
        return new Outcome(List.of(outcomes), true);
    }

    private List<RecipientOutcome> finalOutcomes() {
        // A recipient accepted at RCPT but never settled: the transaction ended without content.
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = new Deferred(note("Connected to " + address
                        + " but the transaction ended before the message was sent. (#4.4.2)"));
            }
        }
        return List.of(outcomes);
    }

    private void settleAccepted(RecipientOutcome outcome) {
        for (int i = 0; i < outcomes.length; i++) {
            if (accepted[i] && outcomes[i] == null) {
                outcomes[i] = outcome;
            }
        }
    }

    private void openDeferred(String text) {
        Deferred deferred = new Deferred(note(text));
        for (int i = 0; i < outcomes.length; i++) {
            if (outcomes[i] == null) {
                outcomes[i] = deferred;
            }
        }
    }

    private boolean anyAccepted() {
        for (boolean a : accepted) {
            if (a) {
                return true;
            }
        }
        return false;
    }

    private String note(String text) {
        return conn.note().isEmpty() ? text : text + "/" + conn.note();
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c < 0x80);
    }

    /** A reply that never came (timeout, lost connection, malformed); the text says which. */
    static final class PhaseFailure extends RuntimeException {
        PhaseFailure(String text) {
            super(text, null, false, false);
        }
    }
}
