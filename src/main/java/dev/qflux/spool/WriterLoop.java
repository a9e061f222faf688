package dev.qflux.spool;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The writer thread: takes whatever is pending, writes it as one batch, fsyncs once, then answers
 * every message of the batch (group commit, invariant 3). Callers only enqueue: {@link #offer}
 * never blocks, so it is safe on a Netty event loop (invariant 4).
 *
 * <p>Invariant 1 lives in {@link #writeBatch}: a message is answered with success only after the
 * force of its batch returned, and answered with failure only after its bytes were taken back out
 * of the segment.
 */
final class WriterLoop implements Runnable {
    /** While idle the writer looks at the free space this often, so 452s stop soon after room appears. */
    static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
    /**
     * DONE requests waiting for the writer before recordDone refuses at once: well above the
     * deliveries that can finish together (qmail's concurrencyremote is at most 1000, and
     * concurrencylocal likewise bounded).
     */
    static final int MAX_PENDING_DONE = 1 << 16;
    /** DONE requests per state-log fsync at most, so the first one's wait stays short. */
    static final int MAX_DONE_BATCH = 4096;

    private final SegmentAppender appender;
    private final DiskSpace disk;
    private final SpoolOptions options;
    private final Consumer<String> log;
    private final Runnable beforeBatch;
    private final Runnable onExit;
    private final DeliveryState delivery;
    private final AcceptedFeed feed;

    private final Queue<PendingMessage> queue = new ConcurrentLinkedQueue<>();
    /** Messages offered and not yet answered; bounded by maxPendingMessages. */
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder refused = new LongAdder();
    private final List<PendingMessage> batch = new ArrayList<>();
    private final List<QueueEntry> written = new ArrayList<>();
    private final Queue<DoneRequest> doneQueue = new ConcurrentLinkedQueue<>();
    /** DONE requests offered and not yet answered; bounded by MAX_PENDING_DONE. */
    private final AtomicInteger pendingDone = new AtomicInteger();
    private final List<DoneRequest> doneBatch = new ArrayList<>();

    private volatile Thread thread;
    private volatile boolean sleeping;
    private volatile boolean closing;
    private volatile boolean diskLow;
    /** Why the writer stopped taking mail for good; null while healthy. */
    private volatile String failure;

    // Written by the writer thread only; volatile so stats() can read them from anywhere.
    private volatile long accepted;
    private volatile long flushes;
    private volatile long failed;
    private volatile long bytes;
    private long nextId;
    private long batches;

    WriterLoop(SegmentAppender appender, DiskSpace disk, SpoolOptions options, Consumer<String> log,
               Runnable beforeBatch, long nextId, DeliveryState delivery, AcceptedFeed feed, Runnable onExit) {
        this.appender = appender;
        this.disk = disk;
        this.options = options;
        this.log = log;
        this.beforeBatch = beforeBatch;
        this.onExit = onExit;
        this.delivery = delivery;
        this.feed = feed;
        this.nextId = nextId;
        this.diskLow = !disk.hasRoomFor(0);
        if (diskLow) {
            log.accept("warning: queue disk below " + options.minFreeBytes() + " bytes free ("
                    + disk.usableBytes() + " usable); refusing mail with 452");
        }
    }

    void start(Thread writer) {
        thread = writer;
        writer.start();
    }

    /**
     * Hands a message to the writer, or refuses it at once. Lock-free: a CAS, a queue insert and
     * maybe an unpark. The count is raised before the state is read, and the writer reads the
     * count after the state is set, so a message can never slip in after the writer's last look.
     */
    SpoolException offer(PendingMessage m) {
        if (pending.incrementAndGet() > options.maxPendingMessages()) {
            return refuse(new SpoolFullException("too many messages waiting for the queue disk"));
        }
        if (closing) {
            return refuse(new SpoolFullException("queue is shutting down"));
        }
        String why = failure;
        if (why != null) {
            return refuse(new SpoolWriteException(why, null));
        }
        queue.offer(m);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return null;
    }

    /** Hands a DONE request to the writer, or refuses it at once; lock-free like {@link #offer}. */
    SpoolException offerDone(DoneRequest r) {
        if (pendingDone.incrementAndGet() > MAX_PENDING_DONE) {
            pendingDone.decrementAndGet();
            return new SpoolFullException("too many delivery results waiting for the queue disk");
        }
        if (closing) {
            pendingDone.decrementAndGet();
            return new SpoolFullException("queue is shutting down");
        }
        doneQueue.offer(r);
        if (sleeping) {
            LockSupport.unpark(thread);
        }
        return null;
    }

    /** No I/O, no allocation: a few volatile reads. */
    boolean acceptingMail() {
        return failure == null && !closing && !diskLow && pending.get() < options.maxPendingMessages();
    }

    SpoolStats stats() {
        return new SpoolStats(accepted, flushes, failed + refused.sum(), bytes, delivery.records(),
                delivery.flushes());
    }

    /** Messages with a pending recipient, recovered or accepted. */
    long unfinished() {
        return delivery.unfinished();
    }

    /** Stop taking mail; the thread answers everything already offered, then ends. */
    void close() {
        closing = true;
        Thread writer = thread;
        if (writer != null) {
            LockSupport.unpark(writer);
        }
    }

    @Override
    public void run() {
        try {
            while (true) {
                drain();
                drainDone();
                if (!batch.isEmpty() || !doneBatch.isEmpty()) {
                    if (!batch.isEmpty()) {
                        process();
                    }
                    if (!doneBatch.isEmpty()) {
                        processDone();
                    }
                } else if (closing && pending.get() == 0 && pendingDone.get() == 0) {
                    break;
                } else {
                    idle();
                }
            }
        } finally {
            appender.close();
            delivery.close();
            feed.close();
            onExit.run();
        }
    }

    private SpoolException refuse(SpoolException why) {
        pending.decrementAndGet();
        refused.increment();
        return why;
    }

    /** Takes pending messages up to maxBatchBytes (at least one, however large). */
    private void drain() {
        long size = 0;
        PendingMessage m;
        while ((m = queue.peek()) != null) {
            if (!batch.isEmpty() && size + m.recordBytes() > options.maxBatchBytes()) {
                break;
            }
            queue.poll();
            batch.add(m);
            size += m.recordBytes();
        }
    }

    private void drainDone() {
        DoneRequest r;
        while (doneBatch.size() < MAX_DONE_BATCH && (r = doneQueue.poll()) != null) {
            doneBatch.add(r);
        }
    }

    private void processDone() {
        try {
            delivery.record(doneBatch);
        } catch (RuntimeException | Error bug) {
            log.accept("alert: delivery state writer: " + bug);
            SpoolWriteException why = new SpoolWriteException("delivery state writer failed: " + bug, bug);
            for (DoneRequest r : doneBatch) {
                r.fail(why); // ignored by those already answered
            }
        } finally {
            pendingDone.addAndGet(-doneBatch.size());
            doneBatch.clear();
        }
    }

    private void idle() {
        sleeping = true;
        if (queue.isEmpty() && doneQueue.isEmpty()) {
            if (closing) {
                Thread.onSpinWait(); // an offer is between its count and its insert
            } else {
                LockSupport.parkNanos(this, IDLE_CHECK_NANOS);
            }
        }
        sleeping = false;
        if (!closing && queue.isEmpty() && doneQueue.isEmpty()) {
            updateDiskLow(disk.hasRoomFor(0));
        }
    }

    private void process() {
        try {
            writeBatch();
        } catch (RuntimeException | Error bug) {
            // Never leave a client without an answer, and never take mail we cannot vouch for.
            enterFailedState("spool writer stopped: " + bug);
            failBatch(new SpoolWriteException(failure, bug));
        } finally {
            batch.clear();
        }
    }

    private void writeBatch() {
        long batchNumber = ++batches;
        beforeBatch.run();
        String why = failure;
        if (why != null) {
            failBatch(new SpoolWriteException(why, null));
            return;
        }
        long size = 0;
        for (PendingMessage m : batch) {
            size += m.recordBytes();
        }
        boolean room = disk.hasRoomFor(size);
        updateDiskLow(room);
        if (!room) {
            failBatch(new SpoolFullException("queue disk has less than " + options.minFreeBytes() + " bytes free"));
            return;
        }
        CrashPoint.reached(CrashPoint.Point.BEFORE_WRITE, batchNumber);
        long start;
        try {
            start = appender.begin(nextId);
        } catch (IOException e) {
            log.accept("warning: cannot start a queue segment: " + e);
            failBatch(new SpoolWriteException("cannot start a queue segment: " + e, e));
            return;
        }
        long firstId = nextId;
        nextId += batch.size(); // never reused, even if this batch fails
        long birth = System.currentTimeMillis();
        try {
            appender.write(batch, firstId, birth);
            CrashPoint.reached(CrashPoint.Point.AFTER_WRITE, batchNumber);
            appender.force();
            CrashPoint.reached(CrashPoint.Point.AFTER_FORCE, batchNumber);
        } catch (IOException | RuntimeException e) {
            // RuntimeException: a caller's body buffer misbehaved (e.g. released early); same remedy
            takeBack(start, e);
            return;
        }
        flushes++;
        disk.wrote(size);
        long id = firstId;
        written.clear();
        for (PendingMessage m : batch) {
            // Counters and index first, so whoever sees the answer also sees them.
            accepted++;
            bytes += m.bodyLength;
            pending.decrementAndGet();
            QueueEntry entry = m.entry(id++, birth);
            delivery.add(entry);
            written.add(entry);
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).succeed(written.get(i).id(), birth);
        }
        for (QueueEntry entry : written) {
            feed.publish(entry);
        }
        written.clear();
        appender.rollIfLongerThan(options.segmentBytes());
    }

    /** A write or fsync failed: remove the batch from the segment first, then tell its senders. */
    private void takeBack(long start, Exception cause) {
        log.accept("warning: queue write failed, " + batch.size() + " messages refused: " + cause);
        try {
            if (appender.undo(start, nextId)) {
                delivery.pin(appender.segment());
            }
        } catch (IOException undoFailed) {
            undoFailed.addSuppressed(cause);
            enterFailedState("queue disk failed; cannot write (" + cause + ") nor undo the write (" + undoFailed
                    + "); fix the disk and restart qflux");
        }
        failBatch(new SpoolWriteException("queue write failed: " + cause, cause));
    }

    private void failBatch(SpoolException why) {
        for (PendingMessage m : batch) {
            if (!m.answered()) {
                failed++;
                pending.decrementAndGet();
                m.fail(why);
            }
        }
    }

    private void enterFailedState(String why) {
        if (failure == null) {
            failure = why;
            log.accept("alert: " + why);
        }
    }

    private void updateDiskLow(boolean room) {
        if (room == diskLow) {
            diskLow = !room;
            log.accept(room ? "info: queue disk has room again; accepting mail"
                    : "warning: queue disk below " + options.minFreeBytes() + " bytes free ("
                    + disk.usableBytes() + " usable); refusing mail with 452");
        }
    }
}
