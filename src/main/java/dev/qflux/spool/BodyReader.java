package dev.qflux.spool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;

/**
 * Streams a message body out of its segment for delivery: one direct buffer per chunk, read only
 * when the subscriber asks for it (so a slow remote server holds at most its requested chunks in
 * memory), on a bounded I/O scheduler, never on an event loop (invariant 4).
 */
final class BodyReader {
    /** Chunk size: large enough for few reads per message, small enough to bound memory per delivery. */
    static final int CHUNK_BYTES = 64 << 10;

    private BodyReader() {
    }

    /** Position of the next chunk and the open segment. */
    private static final class Cursor {
        final FileChannel channel;
        long at;
        final long end;

        Cursor(FileChannel channel, long at, long end) {
            this.channel = channel;
            this.at = at;
            this.end = end;
        }
    }

    static Flux<ByteBuf> read(Path segment, long offset, long length, Scheduler io, ByteBufAllocator alloc) {
        return Flux.<ByteBuf, Cursor>generate(
                        () -> new Cursor(FileChannel.open(segment, StandardOpenOption.READ), offset, offset + length),
                        (cursor, sink) -> {
                            if (cursor.at >= cursor.end) {
                                sink.complete();
                                return cursor;
                            }
                            int size = (int) Math.min(CHUNK_BYTES, cursor.end - cursor.at);
                            ByteBuf chunk = alloc.directBuffer(size, size);
                            try {
                                readFully(cursor, chunk, size, segment);
                            } catch (IOException e) {
                                chunk.release();
                                sink.error(e);
                                return cursor;
                            }
                            cursor.at += size;
                            sink.next(chunk);
                            return cursor;
                        },
                        cursor -> {
                            try {
                                cursor.channel.close();
                            } catch (IOException ignored) {
                                // read-only: nothing was left unwritten
                            }
                        })
                // requests from the subscriber's thread are moved to the I/O worker as well
                .subscribeOn(io, true)
                .doOnDiscard(ByteBuf.class, ReferenceCountUtil::safeRelease);
    }

    private static void readFully(Cursor cursor, ByteBuf chunk, int size, Path segment) throws IOException {
        while (chunk.writerIndex() < size) {
            int n = chunk.writeBytes(cursor.channel, cursor.at + chunk.writerIndex(), size - chunk.writerIndex());
            if (n < 0) {
                throw new EOFException("segment " + segment + " ends at " + (cursor.at + chunk.writerIndex())
                        + ", inside a message body");
            }
        }
    }
}
