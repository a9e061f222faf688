package dev.qflux.dns;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import reactor.core.publisher.Mono;

/**
 * (name, type) lookups through a TTL-bounded cache. The cache holds the future of each query, so
 * lookups of the same question that overlap share the one query in flight.
 */
final class CachedLookups {
    private final Resolver resolver;
    private final AsyncCache<QueryKey, LookupResult> cache;
    private final LongAdder queriesSent = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();

    CachedLookups(Resolver resolver, long maxCacheEntries) {
        if (maxCacheEntries < 1) {
            throw new IllegalArgumentException("maxCacheEntries must be at least 1: " + maxCacheEntries);
        }
        this.resolver = resolver;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxCacheEntries)
                .expireAfter(new TtlExpiry())
                .buildAsync();
    }

    /** Records of {@code type} at {@code name}, following CNAMEs across answers (bounded). */
    Mono<LookupResult> lookup(Name name, int type) {
        return lookup(name, type, 0);
    }

    DnsStats stats() {
        return new DnsStats(queriesSent.sum(), cacheHits.sum());
    }

    private Mono<LookupResult> lookup(Name name, int type, int aliasesFollowed) {
        return query(new QueryKey(name, type)).flatMap(result -> {
            if (!(result instanceof LookupResult.Alias alias)) {
                return Mono.just(result);
            }
            if (aliasesFollowed >= ResponseClassifier.MAX_CNAME_DEPTH) {
                return Mono.just(new LookupResult.Failure(
                        "CNAME chain longer than " + ResponseClassifier.MAX_CNAME_DEPTH));
            }
            return lookup(alias.target(), type, aliasesFollowed + 1);
        });
    }

    private Mono<LookupResult> query(QueryKey key) {
        return Mono.defer(() -> {
            boolean[] missed = {false};
            CompletableFuture<LookupResult> answer = cache.get(key, (k, executor) -> {
                missed[0] = true;
                return send(k, executor);
            });
            if (!missed[0]) {
                cacheHits.increment();
            }
            // The future is shared: one subscriber cancelling must not cancel it for the others,
            // which Mono.fromCompletionStage would do.
            return Mono.fromFuture(answer, true);
        });
    }

    /**
     * Builds and sends the query on the cache's executor, never on the caller's thread: dnsjava
     * draws a random query id and source port (RFC 5452 sections 4 and 9.2) from SecureRandom,
     * which reads /dev/urandom, and opens a socket; the caller may be an event loop.
     */
    private CompletableFuture<LookupResult> send(QueryKey key, Executor executor) {
        queriesSent.increment();
        return CompletableFuture.supplyAsync(() -> resolver.sendAsync(
                        Message.newQuery(Record.newRecord(key.name(), key.type(), DClass.IN))), executor)
                .thenCompose(stage -> stage)
                .handle((response, error) -> error == null
                        ? ResponseClassifier.classify(key.name(), key.type(), response)
                        : failure(error));
    }

    static LookupResult.Failure failure(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof SocketTimeoutException || cause instanceof TimeoutException) {
            return new LookupResult.Failure("timeout");
        }
        if (cause instanceof IOException) {
            return new LookupResult.Failure("network error: " + cause.getMessage());
        }
        return new LookupResult.Failure(cause.toString());
    }
}
