package dev.qflux.dns;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.xbill.DNS.EDNSOption;
import org.xbill.DNS.Message;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.TSIG;
import org.xbill.DNS.Type;

/**
 * A dnsjava {@link Resolver} answering from a script: per question ("name/TYPE") a function from
 * the query to the future response. Unscripted questions get an empty NOERROR answer (no data).
 * Records every question asked.
 */
final class ScriptedResolver implements Resolver {
    private final Map<String, Function<Message, CompletableFuture<Message>>> script = new ConcurrentHashMap<>();
    final List<String> asked = new CopyOnWriteArrayList<>();

    /** Answers {@code question} (e.g. "example.com./MX") with a copy of {@code response}. */
    ScriptedResolver answer(String question, Message response) {
        script.put(question, q -> CompletableFuture.completedFuture(reply(q, response)));
        return this;
    }

    /** Answers {@code question} when the test completes the returned future. */
    CompletableFuture<Message> hold(String question, Message response) {
        CompletableFuture<Message> gate = new CompletableFuture<>();
        script.put(question, q -> gate.thenApply(ignored -> reply(q, response)));
        return gate;
    }

    /** Fails {@code question} with {@code error}, as dnsjava does on a timeout. */
    ScriptedResolver fail(String question, Throwable error) {
        script.put(question, q -> CompletableFuture.failedFuture(error));
        return this;
    }

    long count(String question) {
        return asked.stream().filter(question::equals).count();
    }

    @Override
    public CompletionStage<Message> sendAsync(Message query) {
        Record q = query.getQuestion();
        String question = q.getName() + "/" + Type.string(q.getType());
        asked.add(question);
        Function<Message, CompletableFuture<Message>> f = script.get(question);
        if (f == null) {
            return CompletableFuture.completedFuture(
                    Messages.noError(q.getName().toString(), q.getType()));
        }
        return f.apply(query);
    }

    private static Message reply(Message query, Message response) {
        Message copy = response.clone();
        copy.getHeader().setID(query.getHeader().getID());
        return copy;
    }

    @Override
    public void setPort(int port) {
    }

    @Override
    public void setTCP(boolean flag) {
    }

    @Override
    public void setIgnoreTruncation(boolean flag) {
    }

    @Override
    public void setEDNS(int version, int payloadSize, int flags, List<EDNSOption> options) {
    }

    @Override
    public void setTSIGKey(TSIG key) {
    }

    @Override
    public void setTimeout(Duration timeout) {
    }
}
