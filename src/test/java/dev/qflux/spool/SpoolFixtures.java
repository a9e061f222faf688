package dev.qflux.spool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Random;

/** Messages whose every byte follows from an index, so a test can check what came back. */
final class SpoolFixtures {
    static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_BODY = 9000;

    private SpoolFixtures() {
    }

    static Envelope envelope(int index) {
        return new Envelope("s" + index + "@example.com", List.of("r" + index + "@example.org", "x" + index + "@example.net"));
    }

    static byte[] bodyBytes(int index) {
        Random random = new Random(index);
        byte[] body = new byte[random.nextInt(MAX_BODY)];
        random.nextBytes(body);
        return body;
    }

    /** A direct body; every third one split over two components, as a composite from the decoder would be. */
    static ByteBuf body(int index) {
        byte[] bytes = bodyBytes(index);
        if (index % 3 != 0 || bytes.length < 2) {
            return Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        }
        int half = bytes.length / 2;
        CompositeByteBuf composite = Unpooled.compositeBuffer();
        composite.addComponent(true, Unpooled.directBuffer(half).writeBytes(bytes, 0, half));
        composite.addComponent(true, Unpooled.directBuffer(bytes.length - half).writeBytes(bytes, half, bytes.length - half));
        return composite;
    }

    /** The index a fixture message was made from, read back from its first recipient. */
    static int indexOf(QueueEntry entry) {
        String rcpt = entry.recipients().get(0);
        return Integer.parseInt(rcpt.substring(1, rcpt.indexOf('@')));
    }

    static byte[] readBody(Path queueDir, QueueEntry entry) {
        try (FileChannel file = FileChannel.open(SpoolReader.segmentFile(queueDir, entry.segment()), StandardOpenOption.READ)) {
            ByteBuffer body = ByteBuffer.allocate(Math.toIntExact(entry.bytes()));
            while (body.hasRemaining()) {
                if (file.read(body, entry.bodyOffset() + body.position()) < 0) {
                    throw new IOException("segment ends inside the body of #" + entry.id());
                }
            }
            return body.array();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a message's record starts in its segment. */
    static long recordStart(QueueEntry entry) {
        Envelope envelope = new Envelope(entry.sender(), entry.recipients());
        return entry.bodyOffset() - RecordFormat.encodeEnvelope(envelope).length - RecordFormat.RECORD_HEADER_BYTES;
    }
}
