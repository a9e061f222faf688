package dev.qflux.inject;

import dev.qflux.log.LogSink;
import dev.qflux.spool.QueuedMessage;
import dev.qflux.spool.SpoolWriter;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The daemon's side of the maildrop (qmail-queue's job for local programs, Postfix's pickup):
 * watches {@code maildrop/new}, moves each file into the private {@code maildrop/cur} so its owner
 * can no longer swap it, checks it, hands it to {@link SpoolWriter#accept}, and deletes it only
 * once the spool has made it durable. A crash between the two can queue a message twice, never
 * lose it. Files that are not maildrop files go to {@code maildrop/bad} with a log line. While the
 * spool refuses mail (disk nearly full) files wait and are tried again on the next scan.
 *
 * <p>Threads: a WatchService thread ({@value #WATCH_THREAD}) only asks for scans; scans, reads,
 * renames and deletions run on one bounded-elastic thread ({@value #IO_THREAD}); nothing runs on an
 * event loop or a parallel scheduler.
 */
public final class MaildropPickup implements AutoCloseable {
    static final String WATCH_THREAD = "qflux-maildrop-watch";
    static final String IO_THREAD = "qflux-maildrop";
    /** Safety net under the WatchService (events can overflow or be missed on some file systems). */
    static final Duration RESCAN_INTERVAL = Duration.ofSeconds(5);
    /** Messages handed to the spool at once, so one group commit covers several (invariant 3); each is held in memory. */
    static final int IN_FLIGHT = 16;
    /**
     * Bytes of files read into memory at once (design invariant 5): files are handed over in
     * batches of at most {@value #IN_FLIGHT} files and this many bytes; a larger file goes alone.
     */
    static final long IN_FLIGHT_BYTES = 64L << 20;
    /** Maildir's rule for tmp/: a file untouched this long belongs to an inject that died. */
    static final Duration STALE_TMP = Duration.ofHours(36);
    static final Duration TMP_SWEEP_INTERVAL = Duration.ofHours(1);
    /** How long close() waits for messages already handed to the spool, so their files are removed. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(30);
    /** A larger file is no maildrop file: the biggest message inject writes plus its envelope. */
    static final long MAX_FILE_BYTES = Injector.MAX_MESSAGE_BYTES + MaildropFile.MAX_ENVELOPE_BYTES + 4096;
    private static final int IO_QUEUE = 100_000;

    private final Path queueDir;
    private final SpoolWriter spool;
    private final LogSink log;
    private final Scheduler io;
    private final WatchService watcher;
    private final Thread watchThread;
    private final AtomicInteger scanRequests = new AtomicInteger();
    private volatile CountDownLatch scanDone = new CountDownLatch(0);
    private volatile boolean closed;
    private volatile boolean refusing;
    private long lastTmpSweep;

    private MaildropPickup(Path queueDir, SpoolWriter spool, LogSink log, WatchService watcher) {
        this.queueDir = queueDir;
        this.spool = spool;
        this.log = log;
        this.watcher = watcher;
        this.io = Schedulers.newBoundedElastic(1, IO_QUEUE, IO_THREAD);
        this.watchThread = new Thread(this::watch, WATCH_THREAD);
        this.watchThread.setDaemon(true);
    }

    /**
     * Creates the maildrop directories if missing, starts watching, and scans at once, so files
     * dropped while the daemon was down are queued now. Blocking (directory creation): call at start-up.
     */
    public static MaildropPickup start(Path queueDir, SpoolWriter spool, LogSink log) throws IOException {
        MaildropLayout.create(queueDir, true);
        WatchService watcher;
        try {
            watcher = FileSystems.getDefault().newWatchService();
            MaildropLayout.dir(queueDir, MaildropLayout.NEW).register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
        } catch (IOException | UnsupportedOperationException e) {
            log.log("warning: maildrop: cannot watch " + MaildropLayout.dir(queueDir, MaildropLayout.NEW)
                    + " (" + e.getMessage() + "); scanning every " + RESCAN_INTERVAL.toSeconds() + " s instead");
            watcher = null;
        }
        MaildropPickup pickup = new MaildropPickup(queueDir, spool, log, watcher);
        pickup.watchThread.start();
        pickup.requestScan();
        return pickup;
    }

    /** Asks for a scan; requests made while one runs are served by one more scan after it. */
    void requestScan() {
        if (!closed && scanRequests.getAndIncrement() == 0) {
            runScan();
        }
    }

    private void runScan() {
        int requests = scanRequests.get();
        CountDownLatch done = new CountDownLatch(1);
        scanDone = done;
        scan().subscribe(null, e -> {
            log.log("warning: maildrop: scan failed: " + e);
            finished(done, requests);
        }, () -> finished(done, requests));
    }

    private void finished(CountDownLatch done, int requests) {
        done.countDown();
        if (scanRequests.addAndGet(-requests) != 0 && !closed) {
            runScan();
        }
    }

    private Mono<Void> scan() {
        return Mono.fromCallable(this::claim).subscribeOn(io)
                .flatMapMany(files -> Flux.fromIterable(batches(files)))
                .takeWhile(batch -> !closed)
                .concatMap(batch -> Flux.fromIterable(batch).flatMap(this::pickUp, IN_FLIGHT).then())
                .then();
    }

    /** Files to queue now: those left in cur/ by an earlier run, then new/'s, moved into cur/. */
    private List<Path> claim() throws IOException {
        sweepTmp();
        if (!spool.acceptingMail()) {
            if (!refusing) {
                refusing = true;
                log.log("warning: maildrop: the queue is not accepting mail; injected messages wait in "
                        + MaildropLayout.root(queueDir));
            }
            return List.of();
        }
        refusing = false;
        Path cur = MaildropLayout.dir(queueDir, MaildropLayout.CUR);
        List<Path> claimed = list(cur);
        for (Path file : list(MaildropLayout.dir(queueDir, MaildropLayout.NEW))) {
            Path target = cur.resolve(file.getFileName());
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                claimed.add(target);
            } catch (IOException e) {
                log.log("warning: maildrop: cannot move " + file + " to " + cur + ": " + MaildropWriter.describe(e));
            }
        }
        return claimed;
    }

    /** Consecutive groups of at most {@link #IN_FLIGHT} files and {@link #IN_FLIGHT_BYTES} bytes (by their size now). */
    static List<List<Path>> batches(List<Path> files) {
        List<List<Path>> batches = new ArrayList<>();
        List<Path> batch = new ArrayList<>();
        long bytes = 0;
        for (Path file : files) {
            long size;
            try {
                size = Files.size(file);
            } catch (IOException e) {
                size = 0; // load() finds out what is wrong with it
            }
            if (!batch.isEmpty() && (batch.size() == IN_FLIGHT || bytes + size > IN_FLIGHT_BYTES)) {
                batches.add(batch);
                batch = new ArrayList<>();
                bytes = 0;
            }
            batch.add(file);
            bytes += size;
        }
        if (!batch.isEmpty()) {
            batches.add(batch);
        }
        return batches;
    }

    private Mono<Void> pickUp(Path file) {
        return Mono.fromCallable(() -> load(file)).subscribeOn(io)
                .flatMap(loaded -> spool.accept(loaded.contents().envelope(),
                                Unpooled.wrappedBuffer(loaded.received(), loaded.contents().message()))
                        .publishOn(io)
                        .doOnNext(queued -> queued(file, loaded, queued))
                        .onErrorResume(e -> {
                            log.log("warning: maildrop: " + file.getFileName() + " not queued yet, will retry: " + e.getMessage());
                            return Mono.empty();
                        }))
                .onErrorResume(e -> {
                    log.log("warning: maildrop: cannot read " + file + ", will retry: " + e);
                    return Mono.empty();
                })
                .then();
    }

    /** A checked file, or null when it was quarantined. */
    private Loaded load(Path file) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(file, "unix:uid,nlink,size,mode", LinkOption.NOFOLLOW_LINKS);
        int mode = (Integer) attributes.get("mode");
        int nlink = (Integer) attributes.get("nlink");
        long size = (Long) attributes.get("size");
        if ((mode & 0170000) != 0100000) {
            return quarantine(file, "not a regular file");
        }
        if (nlink != 1) {
            return quarantine(file, "has " + nlink + " links; a maildrop file has one");
        }
        if (size > MAX_FILE_BYTES) {
            return quarantine(file, "larger than " + MAX_FILE_BYTES + " bytes");
        }
        MaildropFile.Contents contents;
        try {
            contents = MaildropFile.decode(Files.readAllBytes(file));
        } catch (MaildropFile.MalformedException e) {
            return quarantine(file, e.getMessage());
        }
        String bad = EnvelopeCheck.problem(contents.envelope());
        if (bad != null) {
            return quarantine(file, bad);
        }
        int uid = (Integer) attributes.get("uid");
        return new Loaded(contents, uid, ReceivedField.invokedBy(contents.pid(), uid, System.currentTimeMillis())
                .getBytes(StandardCharsets.US_ASCII));
    }

    private void queued(Path file, Loaded loaded, QueuedMessage queued) {
        log.log("new msg " + queued.id());
        log.log("info msg " + queued.id() + ": bytes " + queued.bytes() + " from <" + loaded.contents().envelope().sender()
                + "> qp " + loaded.contents().pid() + " uid " + loaded.uid());
        try {
            Files.delete(file);
        } catch (IOException e) {
            log.log("warning: maildrop: msg " + queued.id() + " queued but " + file + " not removed ("
                    + MaildropWriter.describe(e) + "); it will be queued again");
        }
    }

    private Loaded quarantine(Path file, String reason) {
        Path bad = MaildropLayout.dir(queueDir, MaildropLayout.BAD).resolve(file.getFileName());
        try {
            Files.move(file, bad, StandardCopyOption.ATOMIC_MOVE);
            log.log("warning: maildrop: " + file.getFileName() + " moved to " + bad.getParent() + ": " + reason);
        } catch (IOException e) {
            log.log("warning: maildrop: " + file.getFileName() + " is bad (" + reason + ") and cannot be moved to "
                    + bad.getParent() + ": " + MaildropWriter.describe(e));
        }
        return null;
    }

    /** Removes tmp/ files of injects that died before their rename, at most once per {@link #TMP_SWEEP_INTERVAL}. */
    private void sweepTmp() throws IOException {
        long now = System.currentTimeMillis();
        if (now - lastTmpSweep < TMP_SWEEP_INTERVAL.toMillis()) {
            return;
        }
        lastTmpSweep = now;
        for (Path file : list(MaildropLayout.dir(queueDir, MaildropLayout.TMP))) {
            try {
                FileTime modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS);
                if (now - modified.toMillis() > STALE_TMP.toMillis()) {
                    Files.delete(file);
                    log.log("info: maildrop: removed stale " + file);
                }
            } catch (IOException e) {
                // gone meanwhile, or not ours to remove: leave it
            }
        }
    }

    /** The names in {@code dir}, oldest first (names start with the injection time). */
    private static List<Path> list(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                files.add(p);
            }
        }
        Collections.sort(files);
        return files;
    }

    private void watch() {
        while (!closed) {
            try {
                if (watcher == null) {
                    LockSupport.parkNanos(this, RESCAN_INTERVAL.toNanos());
                } else {
                    WatchKey key = watcher.poll(RESCAN_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                    if (key != null) {
                        key.pollEvents();
                        key.reset();
                    }
                }
            } catch (ClosedWatchServiceException | InterruptedException e) {
                return;
            }
            requestScan();
        }
    }

    /** Stops watching, waits (up to {@link #CLOSE_WAIT}) for messages already handed to the spool, stops the thread. Blocking. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        LockSupport.unpark(watchThread);
        boolean interrupted = false;
        try {
            watchThread.join(CLOSE_WAIT.toMillis());
            if (!scanDone.await(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                log.log("warning: maildrop: stopping with messages still being queued; they will be queued again at start");
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        io.dispose();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private record Loaded(MaildropFile.Contents contents, int uid, byte[] received) {
    }
}
