package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How often each SMTP abuse limit was hit since start: one counter per limit, read by metrics.
 * Lock-free; counting costs one identity lookup per reply sent.
 */
public final class LimitCounters {
    /** The limits counted; names are the control files that set them. */
    public enum Limit {
        CONCURRENCY_INCOMING("concurrencyincoming"),
        CONCURRENCY_PER_IP("concurrencyperip"),
        CONNECT_RATE_PER_IP("connectrateperip"),
        MAX_RCPT("maxrcpt"),
        MAX_RCPT_SESSION("maxrcptsession"),
        MAX_ERRORS("maxerrors"),
        DATABYTES("databytes"),
        RECEIVEBYTES("receivebytes"),
        COMMAND_LINE_LENGTH("commandline"),
        MIN_DATA_RATE("mindatarate"),
        TIMEOUT_SMTPD("timeoutsmtpd"),
        TIMEOUT_DATA("timeoutdata");

        private final String controlName;

        Limit(String controlName) {
            this.controlName = controlName;
        }

        /** The control file's name (or, for a built-in limit, a name in the same style). */
        public String controlName() {
            return controlName;
        }
    }

    /** The fixed replies that mean a limit was hit; compared by identity. */
    private static final Map<Reply, Limit> BY_REPLY = new IdentityHashMap<>();

    static {
        BY_REPLY.put(SessionLimiter.TOO_MANY_SESSIONS, Limit.CONCURRENCY_INCOMING);
        BY_REPLY.put(SessionLimiter.TOO_MANY_FROM_YOU, Limit.CONCURRENCY_PER_IP);
        BY_REPLY.put(ConnectRateLimiter.TOO_FAST, Limit.CONNECT_RATE_PER_IP);
        BY_REPLY.put(Replies.TOO_MANY_RCPTS, Limit.MAX_RCPT);
        BY_REPLY.put(Replies.TOO_MANY_RCPTS_SESSION, Limit.MAX_RCPT_SESSION);
        BY_REPLY.put(Replies.TOO_MANY_ERRORS, Limit.MAX_ERRORS);
        BY_REPLY.put(Replies.SIZE_EXCEEDED, Limit.DATABYTES);
        BY_REPLY.put(Replies.LINE_TOO_LONG, Limit.COMMAND_LINE_LENGTH);
    }

    private final Map<Limit, AtomicLong> counts = new EnumMap<>(Limit.class);

    public LimitCounters() {
        for (Limit limit : Limit.values()) {
            counts.put(limit, new AtomicLong());
        }
    }

    /** Times {@code limit} was hit. */
    public long get(Limit limit) {
        return counts.get(limit).get();
    }

    /** Every counter, by control file name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (Limit limit : Limit.values()) {
            out.put(limit.controlName(), get(limit));
        }
        return out;
    }

    void hit(Limit limit) {
        counts.get(limit).incrementAndGet();
    }

    /** Counts {@code reply} when it is one of the replies a limit gives. */
    void onReply(Reply reply) {
        Limit limit = BY_REPLY.get(reply);
        if (limit != null) {
            hit(limit);
        }
    }
}
