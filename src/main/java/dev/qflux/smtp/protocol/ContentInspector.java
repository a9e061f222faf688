package dev.qflux.smtp.protocol;

import io.netty.buffer.ByteBuf;

/**
 * Checks message content as it arrives, for DATA (after {@link DataDecoder}) and BDAT alike: bare
 * line endings (the sign of SMTP smuggling, refused the qmail way: design invariant 7), over-long
 * lines, 8-bit octets, size, and the trace header lines qmail-smtpd counts to stop mail loops.
 * One pass per chunk, no allocation, words of 8 octets at a time where nothing is to be seen; chunks
 * may split the content anywhere, also between CR and LF.
 * Call {@link #finish()} once the content is complete.
 */
public final class ContentInspector {

    /** RFC 5321 4.5.3.1.6: a text line is at most 1000 octets including its CRLF. */
    public static final int MAX_TEXT_LINE_OCTETS = 998;

    /** qmail-smtpd's MAXHOPS: a message with this many trace lines or more is looping (#5.4.6). */
    public static final int MAX_HOPS = 100;

    private final Scanner scanner;
    private long bytes;

    /**
     * @param maxLineOctets the longest line allowed, without its CRLF (e.g. {@link #MAX_TEXT_LINE_OCTETS})
     */
    public ContentInspector(int maxLineOctets) {
        if (maxLineOctets < 0) {
            throw new IllegalArgumentException("maxLineOctets " + maxLineOctets);
        }
        scanner = new Scanner(maxLineOctets);
    }

    /** Inspects the next chunk of content: its readable bytes. Does not move its readerIndex. */
    public void inspect(ByteBuf content) {
        bytes += content.readableBytes();
        scanner.scan(content, content.readerIndex(), content.writerIndex());
    }

    /**
     * Ends the message: a CR left dangling at the very end is bare, and an unterminated last line is
     * measured. Until this is called a final CR may still meet its LF in the next chunk, so it is not
     * counted yet.
     */
    public void finish() {
        scanner.finish();
    }

    /** A CR not followed by LF, or an LF not preceded by CR, anywhere so far. */
    public boolean bareLineEnding() {
        return scanner.bare;
    }

    /** Some line was longer than the limit, not counting its CRLF. */
    public boolean lineTooLong() {
        return scanner.tooLong;
    }

    /**
     * The number of "Received:" and "Delivered-To:" lines (case-insensitive, at line start) in the
     * header section, before the first empty line. Continuation lines start with white space, so
     * they never count. qmail-smtpd refuses {@link #MAX_HOPS} or more.
     */
    public int hops() {
        return scanner.hops;
    }

    /** The content bytes inspected so far. */
    public long bytes() {
        return bytes;
    }

    /** Some octet was 0x80 or above: the content is not 7-bit (RFC 6152). */
    public boolean eightBit() {
        return scanner.eightBit;
    }

    /** Forgets everything, for the next message. */
    public void reset() {
        bytes = 0;
        scanner.reset();
    }

    /**
     * The per-byte state machine, with a fast path over 8-byte words that hold nothing it must look
     * at; its fields are the inspector's findings.
     */
    private static final class Scanner {

        private static final byte CR = '\r';
        private static final byte LF = '\n';
        private static final long ONES = 0x0101010101010101L;
        private static final long HIGH_BITS = 0x8080808080808080L;
        private static final long CRS = CR * ONES;
        private static final long LFS = LF * ONES;
        private static final byte[] RECEIVED = {'r', 'e', 'c', 'e', 'i', 'v', 'e', 'd', ':'};
        private static final byte[] DELIVERED_TO =
                {'d', 'e', 'l', 'i', 'v', 'e', 'r', 'e', 'd', '-', 't', 'o', ':'};
        private static final int HOP_PREFIX_OCTETS = DELIVERED_TO.length;

        private final int maxLine;
        /** A line this long (CR included) is too long even if LF follows. */
        private final long tooLongWithCr;

        boolean bare;
        boolean tooLong;
        boolean eightBit;
        int hops;

        /** Octets of the current line so far, a final CR included. */
        private long lineLength;
        private boolean lastCr;
        /** How many leading octets of each line can still start a hop prefix: 0 past the header. */
        private int headerScan;
        private boolean maybeReceived;
        private boolean maybeDelivered;

        Scanner(int maxLine) {
            this.maxLine = maxLine;
            this.tooLongWithCr = maxLine + 2L;
            reset();
        }

        void scan(ByteBuf buf, int from, int to) {
            int i = from;
            while (i < to) {
                // Mid-line, past the hop-prefix window and with no CR pending, only a CR, an LF or
                // (until one was seen) an 8-bit octet changes anything: skip the octets before the
                // next of them a word at a time.
                if (!lastCr && lineLength >= headerScan) {
                    long interesting = eightBit ? 0 : HIGH_BITS;
                    int start = i;
                    while (i <= to - Long.BYTES) {
                        long w = buf.getLongLE(i);
                        long found = hasZeroByte(w ^ CRS) | hasZeroByte(w ^ LFS) | (w & interesting);
                        if (found != 0) {
                            // little-endian: the lowest flagged byte is the first in memory
                            i += Long.numberOfTrailingZeros(found) >>> 3;
                            break;
                        }
                        i += Long.BYTES;
                    }
                    lineLength += i - start;
                    if (lineLength >= tooLongWithCr) {
                        tooLong = true;
                    }
                    if (i == to) {
                        return;
                    }
                }
                process(buf.getByte(i++));
            }
        }

        /**
         * Flags (high bit) the bytes of {@code v} that are 0. The classic SWAR test: a flag can be
         * wrong only above a true zero byte, so the lowest flag is always right.
         */
        private static long hasZeroByte(long v) {
            return (v - ONES) & ~v & HIGH_BITS;
        }

        private void process(byte b) {
            if (b == LF) {
                endLine();
                return;
            }
            if (lastCr) {
                bare = true;
            }
            lastCr = b == CR;
            if (b < 0) {
                eightBit = true;
            }
            if (lineLength < headerScan) {
                matchHop(b);
            }
            if (++lineLength >= tooLongWithCr) {
                tooLong = true;
            }
        }

        private void endLine() {
            long length = lineLength;
            if (lastCr) {
                length--;
            } else {
                bare = true;
            }
            if (length > maxLine) {
                tooLong = true;
            }
            if (length == 0) {
                headerScan = 0;
            }
            lineLength = 0;
            lastCr = false;
            maybeReceived = true;
            maybeDelivered = true;
        }

        private void matchHop(byte b) {
            int pos = (int) lineLength;
            byte lower = b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
            if (maybeReceived) {
                maybeReceived = pos < RECEIVED.length && RECEIVED[pos] == lower;
                if (maybeReceived && pos == RECEIVED.length - 1) {
                    countHop();
                    maybeReceived = false;
                }
            }
            if (maybeDelivered) {
                maybeDelivered = DELIVERED_TO[pos] == lower;
                if (maybeDelivered && pos == DELIVERED_TO.length - 1) {
                    countHop();
                    maybeDelivered = false;
                }
            }
        }

        private void countHop() {
            // Saturate: a wrapped count would let a huge looping message through.
            if (hops < Integer.MAX_VALUE) {
                hops++;
            }
        }

        void finish() {
            if (lastCr) {
                bare = true;
            }
            if (lineLength > maxLine) {
                tooLong = true;
            }
            lineLength = 0;
            lastCr = false;
        }

        void reset() {
            bare = false;
            tooLong = false;
            eightBit = false;
            hops = 0;
            lineLength = 0;
            lastCr = false;
            headerScan = HOP_PREFIX_OCTETS;
            maybeReceived = true;
            maybeDelivered = true;
        }
    }
}
