package dev.qflux.inject;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Lines of a local program's message. LF ends a line, CRLF too (the CR is dropped), and a CR not
 * followed by LF is taken as a line end as well (old Mac text), so every line reaches the queue
 * ending in CRLF and no bare CR can reach the wire (design invariant 7). A line longer than
 * {@value #MAX_LINE_OCTETS} octets is refused: RFC 5322 2.1.1 forbids it, qflux's SMTP server
 * refuses it too, and folding would change the message (qmail-inject passed it on unchanged).
 */
final class LineInput {
    /** RFC 5322 2.1.1: "Each line of characters MUST be no more than 998 characters ... excluding the CRLF." */
    static final int MAX_LINE_OCTETS = 998;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final InputStream in;
    private final long maxBytes;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int pos;
    private int limit;
    private boolean eof;
    private long lineNumber;
    private long bytesRead;
    private final byte[] line = new byte[MAX_LINE_OCTETS + 1];

    /** @param maxBytes input octets allowed in all, line ends included; past it {@link #next} refuses */
    LineInput(InputStream in, long maxBytes) {
        this.in = in;
        this.maxBytes = maxBytes;
    }

    /** The next line without its line end, or null at the end of input. */
    byte[] next() throws InjectException {
        int length = 0;
        boolean any = false;
        while (true) {
            int b = read();
            if (b < 0) {
                return any ? Arrays.copyOf(line, length) : null;
            }
            any = true;
            if (b == '\n') {
                break;
            }
            if (b == '\r') {
                if (peek() == '\n') {
                    read();
                }
                break;
            }
            if (length == MAX_LINE_OCTETS) {
                throw new InjectException(Sysexits.DATA, "line " + (lineNumber + 1) + " is longer than "
                        + MAX_LINE_OCTETS + " octets, which RFC 5322 2.1.1 forbids; wrap it or send it as an attachment");
            }
            line[length++] = (byte) b;
        }
        lineNumber++;
        return Arrays.copyOf(line, length);
    }

    long lineNumber() {
        return lineNumber;
    }

    private int peek() throws InjectException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos] & 0xff;
    }

    private int read() throws InjectException {
        if (pos == limit && !fill()) {
            return -1;
        }
        return buffer[pos++] & 0xff;
    }

    private boolean fill() throws InjectException {
        if (eof) {
            return false;
        }
        int n;
        try {
            n = in.read(buffer);
        } catch (IOException e) {
            throw new InjectException(Sysexits.TEMP_FAIL, "cannot read the message: " + e.getMessage(), e);
        }
        if (n <= 0) {
            eof = n < 0;
            return !eof && fill();
        }
        bytesRead += n;
        if (bytesRead > maxBytes) {
            throw new InjectException(Sysexits.DATA, "message is larger than " + maxBytes + " bytes");
        }
        pos = 0;
        limit = n;
        return true;
    }
}
