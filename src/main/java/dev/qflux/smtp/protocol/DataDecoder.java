package dev.qflux.smtp.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Decodes the DATA phase (RFC 5321 4.1.1.4, 4.5.2): finds the terminating CRLF "." CRLF and removes
 * the dot that transparency added to every line starting with one. It does not copy: the content
 * goes to the output as retained slices of the input, one per run between removed dots.
 *
 * <p>Only CRLF "." CRLF ends the data (design invariant 7). A "." line after a bare LF or a bare CR
 * ({@code \n.\n}, {@code \n.\r\n}, {@code \r.\n}, {@code \r.\r\n}) is content here, so it cannot end
 * the message early; the {@link ContentInspector} run over the output then sees the bare line
 * ending and the session refuses the message, as qmail-smtpd does. Every state is kept between
 * calls, so input may be split anywhere.
 *
 * <p>Usage: note {@code out.writerIndex()} before each call and pass the newly added range
 * ({@code out.slice(before, out.writerIndex() - before)}) to the inspector. Create {@code out} with
 * enough components ({@code alloc.compositeBuffer(Integer.MAX_VALUE)}, or consolidate yourself):
 * past its maximum a CompositeByteBuf consolidates, which copies.
 */
public final class DataDecoder {

    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    /**
     * The CR of a "." CR that was not followed by LF: it was held back as a possible terminator and
     * is content after all. Possibly from an earlier input buffer, so it comes from here; shared and
     * unreleasable, so adding it to an output neither copies nor disturbs reference counts.
     */
    private static final ByteBuf HELD_CR =
            Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[] {CR}).asReadOnly());

    /** At the start of a line: after CRLF, or at the very start of the data. */
    private static final int LINE_START = 0;
    /** Inside a line; the last byte was not CR. */
    private static final int IN_LINE = 1;
    /** Inside a line; the last byte was a CR (already in the output). */
    private static final int AFTER_CR = 2;
    /** A line started with "."; the dot was dropped. */
    private static final int AFTER_DOT = 3;
    /** A line started with "." CR; the CR is held back until we know whether LF follows. */
    private static final int AFTER_DOT_CR = 4;
    /** The terminator was consumed. */
    private static final int DONE = 5;

    private int state = LINE_START;

    /**
     * Reads from in (advancing readerIndex) and adds the dot-unstuffed content to out as retained
     * slices (out.addComponent(true, slice)), never copying. Returns true once the terminating CRLF
     * "." CRLF has been consumed; the terminator is not part of out but the CRLF ending the last line
     * is (so "abc\r\n.\r\n" yields "abc\r\n", and ".\r\n" right after DATA yields ""). Bytes after the
     * terminator stay unread in in. Once it has returned true it consumes nothing and returns true
     * until {@link #reset()}.
     */
    public boolean decode(ByteBuf in, CompositeByteBuf out) {
        if (state == DONE) {
            return true;
        }
        int i = in.readerIndex();
        final int end = in.writerIndex();
        int runStart = i;
        while (i < end) {
            switch (state) {
                case LINE_START:
                    if (in.getByte(i) == DOT) {
                        addRun(in, runStart, i, out);
                        runStart = ++i;
                        state = AFTER_DOT;
                    } else {
                        state = IN_LINE;
                    }
                    break;
                case AFTER_DOT:
                    if (in.getByte(i) == CR) {
                        // Nothing is pending before the CR: the run restarted right after the dot.
                        runStart = ++i;
                        state = AFTER_DOT_CR;
                    } else {
                        state = IN_LINE;
                    }
                    break;
                case AFTER_DOT_CR:
                    if (in.getByte(i) == LF) {
                        in.readerIndex(i + 1);
                        state = DONE;
                        return true;
                    }
                    out.addComponent(true, HELD_CR.duplicate());
                    state = AFTER_CR;
                    break;
                case AFTER_CR:
                    if (in.getByte(i) == LF) {
                        i++;
                        state = LINE_START;
                    } else {
                        state = IN_LINE;
                    }
                    break;
                default:
                    // IN_LINE: only the next LF matters; jump to it (indexOf scans in bulk).
                    int lf = in.indexOf(i, end, LF);
                    if (lf < 0) {
                        state = in.getByte(end - 1) == CR ? AFTER_CR : IN_LINE;
                        i = end;
                    } else {
                        // lf == i means the byte before was no CR (else the state would be AFTER_CR).
                        state = lf > i && in.getByte(lf - 1) == CR ? LINE_START : IN_LINE;
                        i = lf + 1;
                    }
                    break;
            }
        }
        addRun(in, runStart, end, out);
        in.readerIndex(end);
        return false;
    }

    /** Forgets all state, for the next message. */
    public void reset() {
        state = LINE_START;
    }

    private static void addRun(ByteBuf in, int from, int to, CompositeByteBuf out) {
        if (to > from) {
            out.addComponent(true, in.retainedSlice(from, to - from));
        }
    }
}
