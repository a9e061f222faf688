package dev.qflux.deliver.remote;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames SMTP replies (RFC 5321 4.2.1) out of bytes read in any pieces: {@code 250-} lines
 * continue a reply, {@code 250 } (or a bare code) ends it. Memory is bounded by the limits below;
 * anything beyond them or malformed puts the parser in a failed state, in which it ignores all
 * further input. Never throws on input. Not thread-safe (one connection's event loop).
 */
final class ReplyParser {
    /**
     * Longest reply line we take, CRLF included. RFC 5321 4.5.3.1.5 says 512; servers that
     * quote long addresses or policy URLs exceed that, so we are lenient up to 4 KiB.
     */
    static final int MAX_LINE = 4096;

    /** Lines in one reply; EHLO lists a few dozen keywords at most. */
    static final int MAX_LINES = 1000;

    /** Bytes in one reply, all lines together. */
    static final int MAX_REPLY_BYTES = 64 * 1024;

    private final byte[] line = new byte[MAX_LINE];
    private int lineLength;
    private int code = -1;
    private final List<String> lines = new ArrayList<>();
    private int replyBytes;
    private String failure;

    /**
     * Consumes every readable byte of {@code in} (without releasing it) and adds each reply it
     * completes to {@code out}. Returns false once the input has been found malformed or too large.
     */
    boolean feed(ByteBuf in, List<SmtpReply> out) {
        while (failure == null && in.isReadable()) {
            byte b = in.readByte();
            if (b == '\n') {
                endLine(out);
            } else if (lineLength == MAX_LINE) {
                failure = "line longer than " + MAX_LINE + " bytes";
            } else {
                line[lineLength++] = b;
            }
        }
        in.skipBytes(in.readableBytes());
        return failure == null;
    }

    /** Why the input was refused, or null. */
    String failure() {
        return failure;
    }

    /** True while part of a reply has been read; after STARTTLS's 220 that would be injected plaintext. */
    boolean hasPartialInput() {
        return lineLength > 0 || code >= 0;
    }

    private void endLine(List<SmtpReply> out) {
        int length = lineLength;
        lineLength = 0;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        replyBytes += length + 2;
        if (replyBytes > MAX_REPLY_BYTES) {
            failure = "reply longer than " + MAX_REPLY_BYTES + " bytes";
            return;
        }
        if (lines.size() == MAX_LINES) {
            failure = "reply of more than " + MAX_LINES + " lines";
            return;
        }
        int lineCode = code(length);
        if (lineCode < 0 || (length > 3 && line[3] != ' ' && line[3] != '-')) {
            failure = "line without a reply code";
            return;
        }
        if (code >= 0 && lineCode != code) {
            failure = "reply codes differ within one reply";
            return;
        }
        code = lineCode;
        lines.add(length > 4 ? clean(length) : "");
        boolean last = length == 3 || line[3] == ' ';
        if (last) {
            out.add(new SmtpReply(code, lines));
            lines.clear();
            code = -1;
            replyBytes = 0;
        }
    }

    /** The three-digit code (2xx to 5xx) at the start of the line, or -1. */
    private int code(int length) {
        if (length < 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < 3; i++) {
            byte d = line[i];
            if (d < '0' || d > '9') {
                return -1;
            }
            value = value * 10 + (d - '0');
        }
        return value >= 200 && value < 600 ? value : -1;
    }

    /** The text after the separator; control characters become spaces so texts stay one log line. */
    private String clean(int length) {
        for (int i = 4; i < length; i++) {
            if ((line[i] & 0xff) < 0x20 || line[i] == 0x7f) {
                line[i] = ' ';
            }
        }
        return new String(line, 4, length - 4, StandardCharsets.UTF_8);
    }
}
