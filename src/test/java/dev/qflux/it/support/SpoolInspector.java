package dev.qflux.it.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads back what a (stopped or killed) qflux left in its queue directory, through the spool's own
 * reader, so tests compare what clients were told with what is really on disk.
 */
public final class SpoolInspector {
    private SpoolInspector() {
    }

    /** Every message the spool holds, with envelope and body bytes. */
    public static List<SpooledMessage> scan(Path queueDir) {
        List<SpooledMessage> messages = new ArrayList<>();
        readAll(queueDir, messages);
        return List.copyOf(messages);
    }

    /** How often each Message-ID header occurs in the spool (messages without one are left out). */
    public static Map<String, Integer> messageIdCounts(List<SpooledMessage> spool) {
        Map<String, Integer> counts = new HashMap<>();
        for (SpooledMessage m : spool) {
            m.messageId().ifPresent(id -> counts.merge(id, 1, Integer::sum));
        }
        return counts;
    }

    /** The one spooled message with this Message-ID; fails if there is none or more than one. */
    public static SpooledMessage byMessageId(List<SpooledMessage> spool, String messageId) {
        List<SpooledMessage> found = spool.stream()
                .filter(m -> m.messageId().filter(messageId::equals).isPresent())
                .toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " spooled messages with Message-ID " + messageId
                    + "; spool holds " + spool);
        }
        return found.get(0);
    }

    private static void readAll(Path queueDir, List<SpooledMessage> into) {
        throw new UnsupportedOperationException("reading " + queueDir
                + " needs dev.qflux.spool.SpoolReader, which is not on this branch yet");
    }
}
