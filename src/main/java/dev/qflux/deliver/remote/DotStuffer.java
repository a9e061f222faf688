package dev.qflux.deliver.remote;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.ByteProcessor;

/**
 * Turns a stored message into DATA content (RFC 5321 4.5.2): a line starting with "." gets
 * another ".", every line ends with CRLF (a bare CR or LF becomes CRLF, so nothing smuggles a
 * different line end past the next hop; design.md invariant 7), the content ends with CRLF and
 * then ".CRLF". A line that would exceed 998 octets on the wire is refused, never wrapped,
 * because wrapping would change the message (RFC 5321 4.5.3.1.6). One instance per message;
 * feed the pieces in order, then {@link #finish}.
 */
final class DotStuffer {
    /** Longest text line on the wire without its CRLF (RFC 5321 4.5.3.1.6: 1000 with CRLF). */
    static final int MAX_LINE = 998;

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    private boolean atLineStart = true;
    private boolean pendingCr;
    private int lineLength;

    /** A line was longer than {@link #MAX_LINE}: the message cannot be sent as it is. */
    static final class LineTooLongException extends RuntimeException {
        LineTooLongException() {
            super("message has a line longer than " + MAX_LINE + " octets", null, false, false);
        }
    }

    /** Encodes {@code in} (released here) into a new buffer. */
    ByteBuf encode(ByteBuf in, ByteBufAllocator alloc) {
        try {
            int length = in.readableBytes();
            ByteBuf out = alloc.buffer(length + length / 32 + 8);
            try {
                encodeInto(in, out);
                return out;
            } catch (RuntimeException e) {
                out.release();
                throw e;
            }
        } finally {
            in.release();
        }
    }

    /** The end of the message: a final CRLF if missing, then the terminating ".CRLF". */
    ByteBuf finish(ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(5);
        if (pendingCr || !atLineStart) {
            out.writeByte(CR).writeByte(LF);
        }
        pendingCr = false;
        atLineStart = true;
        out.writeByte(DOT).writeByte(CR).writeByte(LF);
        return out;
    }

    private void encodeInto(ByteBuf in, ByteBuf out) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            byte first = in.getByte(i);
            if (pendingCr) {
                pendingCr = false;
                endLine(out);
                if (first == LF) {
                    i++;
                    continue;
                }
                // a bare CR ended the line; the byte after it starts the next
            }
            int stop = in.forEachByte(i, end - i, ByteProcessor.FIND_CRLF);
            int runEnd = stop < 0 ? end : stop;
            if (runEnd > i) {
                text(in, i, runEnd - i, out);
            }
            if (stop < 0) {
                break;
            }
            if (in.getByte(stop) == CR) {
                pendingCr = true;
            } else {
                endLine(out); // a bare LF
            }
            i = stop + 1;
        }
        in.readerIndex(end);
    }

    private void text(ByteBuf in, int from, int length, ByteBuf out) {
        int stuffed = atLineStart && in.getByte(from) == DOT ? 1 : 0;
        lineLength += length + stuffed;
        if (lineLength > MAX_LINE) {
            throw new LineTooLongException();
        }
        if (stuffed == 1) {
            out.writeByte(DOT);
        }
        out.writeBytes(in, from, length);
        atLineStart = false;
    }

    private void endLine(ByteBuf out) {
        out.writeByte(CR).writeByte(LF);
        atLineStart = true;
        lineLength = 0;
    }
}
