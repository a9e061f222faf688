package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.ContentInspector;
import dev.qflux.smtp.protocol.DataDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;

/**
 * Collects one message's content (DATA or BDAT chunks) as retained slices of what was read: no
 * copy and nothing on the heap. Enforces databytes and the shared receive budget while reading,
 * dropping the content but reading on to the end, so the refusal comes at the right moment
 * (qmail-smtpd: 552 after the final dot). Event-loop confined.
 */
final class MessageReceiver {
    /** RFC 5321 4.5.3.1.6: a text line is at most 998 octets before its CRLF. */
    static final int MAX_LINE_OCTETS = 998;

    enum Verdict { OK, TOO_BIG, NO_MEMORY, BARE_LINE_ENDING, LINE_TOO_LONG, LOOPING }

    private final ByteBufAllocator alloc;
    private final long databytes;
    private final ReceiveBudget budget;
    private final DataDecoder decoder = new DataDecoder();
    private final ContentInspector inspector = new ContentInspector(MAX_LINE_OCTETS);
    private CompositeByteBuf body;
    private long held;
    private boolean tooBig;
    private boolean noMemory;

    MessageReceiver(ByteBufAllocator alloc, long databytes, ReceiveBudget budget) {
        this.alloc = alloc;
        this.databytes = databytes;
        this.budget = budget;
        this.body = newComposite();
    }

    private CompositeByteBuf newComposite() {
        // Unbounded component count: a bounded composite consolidates (copies) when full.
        return alloc.compositeDirectBuffer(Integer.MAX_VALUE);
    }

    /** DATA: decodes from {@code in}; true once CRLF.CRLF was consumed. */
    boolean readData(ByteBuf in) {
        // Once the content is being dropped it is decoded into scratch space and let go.
        boolean scratch = body == null;
        CompositeByteBuf target = scratch ? newComposite() : body;
        int before = target.writerIndex();
        boolean end = decoder.decode(in, target);
        added(target, before); // may drop (release) the body
        if (scratch) {
            target.release();
        }
        return end;
    }

    /** BDAT: takes up to {@code max} octets from {@code in}; returns how many it took. */
    long readChunk(ByteBuf in, long max) {
        int n = (int) Math.min(max, in.readableBytes());
        ByteBuf slice = in.readRetainedSlice(n);
        if (body == null) {
            inspector.inspect(slice);
            slice.release();
            account(n);
        } else {
            int before = body.writerIndex();
            body.addComponent(true, slice);
            added(body, before);
        }
        return n;
    }

    private void added(CompositeByteBuf target, int before) {
        int n = target.writerIndex() - before;
        if (n > 0) {
            inspector.inspect(target.slice(before, n));
            account(n);
        }
    }

    private void account(int n) {
        // databytes is checked even once the content is dropped for want of memory: a message
        // that can never be taken must get the permanent 552, not a 452 that invites retries.
        if (databytes > 0 && inspector.bytes() > databytes) {
            tooBig = true;
            if (body != null) {
                drop();
            }
            return;
        }
        if (body == null) {
            return;
        }
        if (!budget.tryAcquire(n)) {
            noMemory = true;
            drop();
        } else {
            held += n;
        }
    }

    private void drop() {
        body.release();
        body = null;
        budget.release(held);
        held = 0;
    }

    boolean bareLineEnding() {
        return inspector.bareLineEnding();
    }

    boolean tooBig() {
        return tooBig;
    }

    /** Call once, at the end of the message. */
    Verdict verdict() {
        inspector.finish(); // a lone CR at the very end is bare too
        if (inspector.bareLineEnding()) {
            return Verdict.BARE_LINE_ENDING;
        }
        if (tooBig) {
            return Verdict.TOO_BIG;
        }
        if (noMemory) {
            return Verdict.NO_MEMORY;
        }
        if (inspector.lineTooLong()) {
            return Verdict.LINE_TOO_LONG;
        }
        if (inspector.hops() >= ContentInspector.MAX_HOPS) {
            return Verdict.LOOPING;
        }
        return Verdict.OK;
    }

    long bytes() {
        return inspector.bytes();
    }

    /** Hands the content over; the budget stays held until {@link #releaseBudget}. */
    ByteBuf takeBody() {
        ByteBuf b = body;
        body = null;
        return b;
    }

    void releaseBudget() {
        budget.release(held);
        held = 0;
    }

    /** The session ended mid-message: free everything. */
    void discard() {
        if (body != null) {
            body.release();
            body = null;
        }
        releaseBudget();
    }
}
