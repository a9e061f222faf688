package dev.qflux.spool;

import io.netty.buffer.ByteBuf;
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
import reactor.core.publisher.Mono;

/**
 * The only writer of the queue (qmail-queue's role). Messages are appended to segment files by one
 * platform thread, {@value #THREAD_NAME}, which fsyncs once per batch and only then answers the
 * batch's callers (group commit). The format and the states a message passes through are in
 * docs/spool.md.
 */
public final class SpoolWriter implements AutoCloseable {
    static final String THREAD_NAME = "qflux-spool-writer";

    private final WriterLoop loop;
    private final Thread thread;
    private final List<QueueEntry> recovered;

    private SpoolWriter(WriterLoop loop, List<QueueEntry> recovered) {
        this.loop = loop;
        this.recovered = Collections.unmodifiableList(recovered);
        this.thread = new Thread(loop, THREAD_NAME);
        this.thread.setDaemon(true);
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
            if (!Files.isDirectory(segmentDir)) {
                Files.createDirectories(segmentDir);
                SpoolLayout.syncDirectory(queueDir);
            }
            SpoolScan.Result found = SpoolScan.run(segmentDir, SpoolScan.Mode.RECOVER, quietLog);
            SegmentAppender appender = new SegmentAppender(segmentDir, seams.segmentOpener(), quietLog,
                    found.nextSegment(), found.lastSegment(), found.lastLength());
            DiskSpace disk = new DiskSpace(seams.usableSpace() != null ? seams.usableSpace() : statvfs(segmentDir),
                    options.minFreeBytes(), quietLog);
            WriterLoop loop = new WriterLoop(appender, disk, options, quietLog, seams.beforeBatch(), found.nextId(),
                    () -> release(lock, quietLog));
            SpoolWriter writer = new SpoolWriter(loop, found.entries());
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
        PendingMessage message = new PendingMessage(encoded, body);
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

    /** Messages in the spool: those recovered at open plus those accepted since. */
    public long queuedMessages() {
        return recovered.size() + loop.accepted();
    }

    public SpoolStats stats() {
        return loop.stats();
    }

    /** What open() found, in id order. */
    public List<QueueEntry> recovered() {
        return recovered;
    }

    /**
     * Stops taking mail, answers everything already accepted (writing and fsyncing it), then
     * releases the queue lock. Blocks until that is done; do not call it on an event loop.
     */
    @Override
    public void close() {
        loop.close();
        if (Thread.currentThread() == thread) {
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
