package dev.qflux.bounce;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The failed message as the bounce returns it: whole as {@code message/rfc822}, or only its header
 * section as {@code text/rfc822-headers} (RFC 6522 §4) when it is too large, or when a line over
 * 998 octets means it cannot travel as a MIME part at all (RFC 2046 §5.2.1 allows only 7bit or
 * 8bit there, both bound by RFC 5322's line limit). Either way it starts with qmail-send's
 * {@code Return-Path:} line and is written as CRLF lines.
 */
final class OriginalCopy {
    private static final byte CR = '\r';
    private static final byte LF = '\n';

    final ByteBuf bytes;
    final boolean headersOnly;
    final boolean eightBit;

    private OriginalCopy(ByteBuf bytes, boolean headersOnly, boolean eightBit) {
        this.bytes = bytes;
        this.headersOnly = headersOnly;
        this.eightBit = eightBit;
    }

    /** Reads {@code original} without moving its indexes; the caller releases {@link #bytes}. */
    static OriginalCopy of(String returnPath, ByteBuf original, long maxOriginalBytes, ByteBufAllocator alloc) {
        int from = original.readerIndex();
        int to = original.writerIndex();
        boolean headersOnly = to - from > maxOriginalBytes || longestLine(original, from, to) > WireText.MAX_LINE_OCTETS;
        int end = headersOnly ? headerSectionEnd(original, from, to) : to;

        byte[] rp = ("Return-Path: <" + WireText.safe(returnPath) + ">\r\n").getBytes(StandardCharsets.UTF_8);
        ByteBuf out = alloc.buffer(rp.length + (end - from) + 64);
        out.writeBytes(rp);
        boolean eightBit = !WireText.isAscii(returnPath);
        int lineLength = 0;
        for (int i = from; i < end; i++) {
            byte b = original.getByte(i);
            if (b == CR || b == LF) {
                // CRLF, or a bare CR or LF the spool should never hold: each ends one line.
                if (b == CR && i + 1 < end && original.getByte(i + 1) == LF) {
                    i++;
                }
                out.writeByte(CR).writeByte(LF);
                lineLength = 0;
                continue;
            }
            if (lineLength == WireText.MAX_LINE_OCTETS) {
                continue; // only a header copy gets here: the rest of an over-long line is cut
            }
            eightBit |= b < 0;
            out.writeByte(b);
            lineLength++;
        }
        if (lineLength > 0) {
            out.writeByte(CR).writeByte(LF);
        }
        return new OriginalCopy(out, headersOnly, eightBit);
    }

    /** End of the header lines (after the CRLF of the last one, before the empty line). */
    static int headerSectionEnd(ByteBuf msg, int from, int to) {
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (msg.getByte(i) == LF) {
                int contentEnd = i > lineStart && msg.getByte(i - 1) == CR ? i - 1 : i;
                if (contentEnd == lineStart) {
                    return lineStart;
                }
                lineStart = i + 1;
            }
        }
        return to;
    }

    private static int longestLine(ByteBuf msg, int from, int to) {
        int longest = 0;
        int lineStart = from;
        for (int i = from; i < to; i++) {
            if (msg.getByte(i) == LF) {
                int contentEnd = i > lineStart && msg.getByte(i - 1) == CR ? i - 1 : i;
                longest = Math.max(longest, contentEnd - lineStart);
                lineStart = i + 1;
            }
        }
        return Math.max(longest, to - lineStart);
    }
}
