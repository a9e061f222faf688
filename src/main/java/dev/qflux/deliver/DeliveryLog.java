package dev.qflux.deliver;

import dev.qflux.log.LogSink;
import dev.qflux.schedule.DeliveryEvent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * qmail-send's log lines for delivery events, so qmailanalog-style tools read them. qmail logs
 * one delivery per recipient; a qflux attempt carries several, so each recipient gets its own
 * delivery number here. Called from one thread at a time (the scheduler's event stream).
 */
final class DeliveryLog {
    private final LogSink log;
    private final int remoteLimit;
    private final int localLimit;
    private final Map<Long, Open> open = new ConcurrentHashMap<>();
    private long next;
    private int remoteBusy;
    private int localBusy;

    DeliveryLog(LogSink log, int remoteLimit, int localLimit) {
        this.log = log;
        this.remoteLimit = remoteLimit;
        this.localLimit = localLimit;
    }

    /** The qmail delivery numbers of an attempt in flight, one per recipient. */
    private record Open(long[] ids, boolean local) {
    }

    void on(DeliveryEvent event) {
        if (event instanceof DeliveryEvent.Started s) {
            List<String> rcpts = s.recipients();
            long[] ids = new long[rcpts.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = ++next;
                log.log("starting delivery " + ids[i] + ": msg " + s.messageId() + " to "
                        + (s.local() ? "local " : "remote ") + safe(rcpts.get(i)));
                if (s.local()) {
                    localBusy++;
                } else {
                    remoteBusy++;
                }
                status();
            }
            open.put(s.deliveryId(), new Open(ids, s.local()));
        } else if (event instanceof DeliveryEvent.Finished f) {
            Open started = open.remove(f.deliveryId());
            long[] ids = started == null ? new long[0] : started.ids();
            boolean local = started != null && started.local();
            for (int i = 0; i < ids.length && i < f.outcomes().size(); i++) {
                RecipientOutcome o = f.outcomes().get(i);
                String kind = o instanceof RecipientOutcome.Delivered ? "success"
                        : o instanceof RecipientOutcome.Deferred ? "deferral" : "failure";
                log.log("delivery " + ids[i] + ": " + kind + ": " + safe(o.text()));
                if (local) {
                    localBusy--;
                } else {
                    remoteBusy--;
                }
                status();
            }
        } else if (event instanceof DeliveryEvent.MessageDone d) {
            log.log("end msg " + d.messageId());
        }
    }

    private void status() {
        log.log("status: local " + localBusy + "/" + localLimit + " remote " + remoteBusy + "/" + remoteLimit);
    }

    /** qmail-send's escaping: newlines become '/', anything unprintable '_'. */
    static String safe(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c == '\n' ? '/' : (c < 32 || c == 127) ? '_' : c);
        }
        return sb.toString();
    }
}
