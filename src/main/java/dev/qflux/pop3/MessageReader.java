package dev.qflux.pop3;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * A message file turned into a RETR or TOP response body chunk by chunk (RFC 1939 section 3):
 * LF line ends become CRLF, a line starting with "." gets another ".", and the body ends with
 * ".CRLF". Only one chunk is in memory at a time. Blocking reads: call only on the POP3 I/O
 * scheduler. Thread-safe, so the connection may close it while a read is under way.
 */
final class MessageReader implements AutoCloseable {
    /** File bytes read per chunk; the chunk sent is at most twice that plus the terminator. */
    static final int CHUNK = 64 * 1024;
    private static final int ALL_LINES = -1;

    private final FileChannel file;
    private final ByteBuffer read = ByteBuffer.allocate(CHUNK);
    private final long bodyLines;
    private boolean lineStart = true;
    private boolean inBody;
    private int lineLength;
    private byte prev = '\n';
    private long bodyLinesSent;
    private boolean finished;
    private boolean closed;

    private MessageReader(FileChannel file, long bodyLines) {
        this.file = file;
        this.bodyLines = bodyLines;
    }

    /** RETR: the whole message. */
    static MessageReader whole(Path file) throws IOException {
        return new MessageReader(FileChannel.open(file), ALL_LINES);
    }

    /** TOP: the header, the blank line, and {@code bodyLines} lines of the body (RFC 1939 section 7). */
    static MessageReader top(Path file, long bodyLines) throws IOException {
        return new MessageReader(FileChannel.open(file), bodyLines);
    }

    /** Bytes to send; {@code last} when they end with the terminating ".CRLF". */
    record Chunk(ByteBuf bytes, boolean last) {
    }

    /** The next chunk; null once the last one was returned or the reader was closed. */
    synchronized Chunk next(ByteBufAllocator alloc) throws IOException {
        if (finished || closed) {
            return null;
        }
        ByteBuf out = alloc.directBuffer(2 * CHUNK + 5);
        try {
            boolean eof = !fill(out);
            if (eof || finished) {
                if (!finished && !lineStart) {
                    out.writeByte('\r').writeByte('\n'); // a last line without LF
                }
                out.writeByte('.').writeByte('\r').writeByte('\n');
                finished = true;
                closeFile();
            }
            return new Chunk(out, finished);
        } catch (IOException | RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /** Reads one chunk and converts it into {@code out}; false at end of file. */
    private boolean fill(ByteBuf out) throws IOException {
        read.clear();
        int n = file.read(read);
        if (n < 0) {
            return false;
        }
        read.flip();
        while (read.hasRemaining() && !finished) {
            byte b = read.get();
            if (lineStart && b == '.') {
                out.writeByte('.'); // byte-stuffing, RFC 1939 section 3
            }
            lineStart = false;
            if (b == '\n') {
                if (prev != '\r') {
                    out.writeByte('\r');
                }
                out.writeByte('\n');
                endOfLine();
            } else {
                out.writeByte(b);
                lineLength++;
            }
            prev = b;
        }
        return true;
    }

    private void endOfLine() {
        boolean empty = lineLength == 0 || (lineLength == 1 && prev == '\r');
        if (!inBody) {
            inBody = empty; // the header ends at the first empty line (RFC 5322 section 2.1)
        } else {
            bodyLinesSent++;
        }
        lineStart = true;
        lineLength = 0;
        if (bodyLines != ALL_LINES && inBody && bodyLinesSent >= bodyLines) {
            finished = true;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        closeFile();
    }

    private void closeFile() {
        try {
            file.close();
        } catch (IOException ignored) {
            // read-only: nothing is lost
        }
    }
}
