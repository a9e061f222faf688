package dev.qflux.spool;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The only writer of the queue (qmail-queue's role). Messages are appended to segment files by one
 * platform thread, {@value #THREAD_NAME}, which fsyncs once per batch and only then answers the
 * batch's callers (group commit). The format and the states a message passes through are in
 * docs/spool.md.
 */
public final class SpoolWriter implements AutoCloseable {
    static final String THREAD_NAME = "qflux-spool-writer";
    /** Body reads in flight at once: about qmail's default concurrencyremote (20) plus local deliveries. */
    static final int BODY_READ_THREADS = 32;
    /** Body reads waiting for a thread before readBody fails with a RejectedExecutionException. */
    static final int BODY_READ_QUEUE = 100_000;
    /** How long an idle body-read thread lives. */
    private static final int BODY_READ_IDLE_SECONDS = 60;

    private final Path queueDir;
    private final WriterLoop loop;
    private final AcceptedFeed feed;
    private final Thread thread;
    /** What open() found, until {@link #takeRecovered} hands it over (then empty). */
    private volatile List<QueueEntry> recovered;
    private final Scheduler bodyReads;

    private SpoolWriter(Path queueDir, WriterLoop loop, AcceptedFeed feed, List<QueueEntry> recovered) {
        this.queueDir = queueDir;
        this.loop = loop;
        this.feed = feed;
        this.recovered = recovered;
        this.thread = new Thread(loop, THREAD_NAME);
        this.thread.setDaemon(true);
        this.bodyReads = Schedulers.newBoundedElastic(BODY_READ_THREADS, BODY_READ_QUEUE, "qflux-spool-read",
                BODY_READ_IDLE_SECONDS, true);
    }

    /** Opens (creating if needed) and recovers the queue in {@code queueDir}; blocking, call at startup. */
    public static SpoolWriter open(Path queueDir, SpoolOptions options) throws IOException {
        return open(queueDir, options, message -> { });
    }

    /**
     * As {@link #open(Path, SpoolOptions)}, reporting recovery actions, disk trouble and write
     * failures to {@code log} (called on the opening thread and the writer thread; keep it quick).
     */
    public static SpoolWriter open(Path queueDir, SpoolOptions options, Consumer<String> log) throws IOException {
        return open(queueDir, options, log, SpoolSeams.REAL);
    }

    static SpoolWriter open(Path queueDir, SpoolOptions options, Consumer<String> log, SpoolSeams seams)
            throws IOException {
        Consumer<String> quietLog = neverThrowing(log);
        String crash = CrashPoint.armed();
        if (crash != null) {
            quietLog.accept("warning: " + CrashPoint.PROPERTY + "=" + crash + ": this process will halt itself");
        }
        Files.createDirectories(queueDir);
        FileChannel lock = lock(queueDir);
        try {
            Path segmentDir = SpoolLayout.segmentDir(queueDir);
            Path stateDir = SpoolLayout.stateDir(queueDir);
            if (!Files.isDirectory(segmentDir) || !Files.isDirectory(stateDir)) {
                Files.createDirectories(segmentDir);
                Files.createDirectories(stateDir);
                SpoolLayout.syncDirectory(queueDir);
            }
            QueueScan.Result queue = QueueScan.run(queueDir, SpoolScan.Mode.RECOVER, quietLog);
            SpoolScan.Result found = queue.segments();
            SegmentAppender appender = new SegmentAppender(segmentDir, seams.segmentOpener(), quietLog,
                    found.nextSegment(), found.lastSegment(), found.lastLength());
            DiskSpace disk = new DiskSpace(seams.usableSpace() != null ? seams.usableSpace() : statvfs(segmentDir),
                    options.minFreeBytes(), quietLog);
            StateLog stateLog = new StateLog(stateDir, options.stateFileBytes(), quietLog, queue.stateFiles(),
                    queue.nextStateFile());
            DeliveryState delivery = new DeliveryState(segmentDir, stateLog, quietLog, queue);
            AcceptedFeed feed = new AcceptedFeed();
            WriterLoop loop = new WriterLoop(appender, disk, options, quietLog, seams.beforeBatch(), found.nextId(),
                    delivery, feed, () -> release(lock, quietLog));
            SpoolWriter writer = new SpoolWriter(queueDir, loop, feed, queue.unfinished());
            loop.start(writer.thread);
            return writer;
        } catch (IOException | RuntimeException | Error e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Queues a message. The Mono completes, on the writer thread, only after message and envelope
     * are durable (invariant 1), with the message's id; or fails with {@link SpoolFullException}
     * (answer 452 4.3.1) or {@link SpoolWriteException} (answer 451 4.3.0), after which nothing of
     * the message will be delivered. Takes ownership of {@code body} (its readable bytes are the
     * message) and releases it in every case. Never blocks: safe on an event loop. The message is
     * queued whether or not the Mono is subscribed.
     */
    public Mono<QueuedMessage> accept(Envelope envelope, ByteBuf body) {
        Objects.requireNonNull(body, "body");
        if (body.refCnt() == 0) {
            return Mono.error(new IllegalArgumentException("message body was already released"));
        }
        byte[] encoded;
        try {
            encoded = RecordFormat.encodeEnvelope(Objects.requireNonNull(envelope, "envelope"));
        } catch (RuntimeException e) {
            PendingMessage.release(body);
            return Mono.error(e);
        }
        PendingMessage message = new PendingMessage(envelope, encoded, body);
        SpoolException refused = loop.offer(message);
        if (refused != null) {
            message.fail(refused);
        }
        return message.result();
    }

    /**
     * False while the disk is below its free-space floor, the writer is saturated, failed or
     * closing: SMTP checks this at MAIL time and answers 452. Cost: no I/O, no allocation.
     */
    public boolean acceptingMail() {
        return loop.acceptingMail();
    }

    /**
     * Records that recipients {@code recipientIndexes} (indexes into the envelope's recipients) of
     * message {@code messageId} are finished: delivered, or failed for good with the bounce already
     * queued. Call it only then: recovery treats a recipient without a DONE record as pending, so a
     * crash can repeat a delivery but never lose one (design invariant 2). The Mono completes, on
     * the writer thread, once the record is durable; records of many callers share one fsync. It
     * fails with {@link SpoolFullException} when too many are waiting or the spool is closing,
     * {@link SpoolWriteException} when the write failed, IllegalArgumentException for an index
     * outside the envelope. A message already finished (or unknown) completes at once, writing
     * nothing. When the last recipient is done the message leaves the queue and, once all of its
     * segment is finished, the segment file is deleted. Never blocks; the record is written
     * whether or not the Mono is subscribed.
     */
    public Mono<Void> recordDone(long messageId, int[] recipientIndexes) {
        DoneRequest request = new DoneRequest(messageId, recipientIndexes.clone());
        SpoolException refused = loop.offerDone(request);
        if (refused != null) {
            request.fail(refused);
        }
        return request.result();
    }

    /**
     * The body of {@code entry} exactly as stored (the CRLF wire form SMTP received), in direct
     * buffers of up to {@value BodyReader#CHUNK_BYTES} bytes that the subscriber must release. Read
     * lazily, chunk by chunk as requested, on a bounded I/O scheduler ({@value #BODY_READ_THREADS}
     * threads), never on the caller's thread. Fails with NoSuchFileException if the segment is gone
     * (the message was finished), EOFException if it is shorter than the entry says.
     */
    public Flux<ByteBuf> readBody(QueueEntry entry) {
        return readBody(entry.segment(), entry.bodyOffset(), entry.bytes());
    }

    /**
     * Every message accepted after subscription, once durable, in id order, exactly once per
     * subscriber; {@link #recovered()} holds those found at open. Signals arrive on the writer
     * thread, so a subscriber must only hand them on (publishOn, a queue) and never block. Each
     * subscriber may fall {@value AcceptedFeed#MAX_BEHIND} entries behind; past that its Flux
     * delivers what it buffered, then fails with an overflow error (reactor.core.Exceptions.isOverflow)
     * rather than skip one: resubscribe,
     * then read the queue with {@link SpoolReader#scan} and skip the ids already known. Completes
     * when the spool closes.
     */
    public Flux<QueueEntry> accepted() {
        return feed.flux();
    }

    /** Messages in the spool with at least one pending recipient: recovered ones plus accepted ones, minus finished ones. */
    public long queuedMessages() {
        return loop.unfinished();
    }

    public SpoolStats stats() {
        return loop.stats();
    }

    /**
     * What open() found with a pending recipient, in id order, each with its finished recipients;
     * empty once {@link #takeRecovered} has handed it over.
     */
    public List<QueueEntry> recovered() {
        return Collections.unmodifiableList(recovered);
    }

    /**
     * Hands what open() found to {@code consumer}, in id order, and forgets each entry as it goes,
     * so a large recovered queue is not held twice while delivery builds its own index
     * (design.md invariant 5: a million queued messages must fit a 512 MB heap). Once only: later
     * calls, and {@link #recovered()}, see nothing.
     */
    public synchronized void takeRecovered(Consumer<QueueEntry> consumer) {
        List<QueueEntry> entries = recovered;
        recovered = List.of();
        for (int i = 0; i < entries.size(); i++) {
            QueueEntry e = entries.set(i, null);
            consumer.accept(e);
        }
    }

    /**
     * The body of a message by its place in the spool, as {@link #readBody(QueueEntry)}; for
     * callers that keep only the location, not the whole entry.
     */
    public Flux<ByteBuf> readBody(long segment, long bodyOffset, long bytes) {
        return BodyReader.read(SpoolLayout.segmentFile(SpoolLayout.segmentDir(queueDir), segment),
                bodyOffset, bytes, bodyReads, ByteBufAllocator.DEFAULT);
    }

    /**
     * Stops taking mail, answers everything already accepted (writing and fsyncing it), then
     * releases the queue lock. Blocks until that is done; do not call it on an event loop.
     */
    @Override
    public void close() {
        loop.close();
        if (Thread.currentThread() == thread) {
            bodyReads.dispose();
            return; // called from a completion on the writer thread: it finishes by itself
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        bodyReads.dispose();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** One writer per queue: an exclusive lock on queueDir/lock, held until close. */
    private static FileChannel lock(Path queueDir) throws IOException {
        Path file = queueDir.resolve(SpoolLayout.LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException sameProcess) {
            lock = null;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("queue " + queueDir + " is in use by another qflux (" + file + " is locked)");
        }
        return channel;
    }

    private static void release(FileChannel lock, Consumer<String> log) {
        try {
            lock.close();
        } catch (IOException e) {
            log.accept("warning: releasing the queue lock: " + e);
        }
    }

    private static SpoolSeams.UsableSpace statvfs(Path dir) throws IOException {
        FileStore store = Files.getFileStore(dir);
        return store::getUsableSpace;
    }

    private static Consumer<String> neverThrowing(Consumer<String> log) {
        Objects.requireNonNull(log, "log");
        return message -> {
            try {
                log.accept(message);
            } catch (RuntimeException ignored) {
                // a broken log sink must not stop the writer
            }
        };
    }
}
