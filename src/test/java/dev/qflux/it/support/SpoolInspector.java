package dev.qflux.it.support;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.SpoolReader;

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
        try {
            for (QueueEntry e : SpoolReader.scan(queueDir)) {
                into.add(new SpooledMessage(Long.toString(e.id()), e.sender(), e.recipients(),
                        body(queueDir, e)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the queue in " + queueDir, e);
        }
    }

    /** The body's bytes, read where the reader says they are. */
    private static byte[] body(Path queueDir, QueueEntry e) throws IOException {
        Path segment = SpoolReader.segmentFile(queueDir, e.segment());
        try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(e.bytes()));
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, e.bodyOffset() + buffer.position()) < 0) {
                    throw new EOFException(segment + " ends inside the body of message " + e.id());
                }
            }
            return buffer.array();
        }
    }
}
