package dev.qflux.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * mbox delivery as qmail-local's mailfile: lock, append, fsync, and on any failure truncate the
 * file back to its old size so a half-written message never stays. Locks, all three held while
 * appending: a lock per file inside this JVM (Java's file locks are per process), a POSIX
 * {@code fcntl} lock (what {@link FileChannel#lock()} takes; mutt, procmail and Dovecot honour it)
 * and the {@code file.lock} dot-lock of mail readers that use none of those. Uses only the JDK.
 */
final class MboxWriter {
    /** How long to wait for another writer's dot-lock before deferring: 2 minutes. */
    static final Duration DOTLOCK_WAIT = Duration.ofMinutes(2);
    /** A dot-lock older than this is stale (its owner died): 5 minutes, as procmail's default. */
    static final Duration DOTLOCK_STALE = Duration.ofMinutes(5);
    /** Pause between dot-lock attempts; on a blocking thread of the local scheduler. */
    private static final long DOTLOCK_RETRY_MILLIS = 100;
    private static final ConcurrentHashMap<Path, ReentrantLock> IN_PROCESS = new ConcurrentHashMap<>();

    private MboxWriter() {
    }

    /** Appends {@code content} (one whole mbox entry) to {@code mbox}, creating it mode 0600. */
    static void append(Path mbox, byte[] content) throws MailboxException {
        Path key = mbox.toAbsolutePath().normalize();
        ReentrantLock lock = IN_PROCESS.computeIfAbsent(key, k -> new ReentrantLock());
        lock.lock();
        try {
            Path dotLock = key.resolveSibling(key.getFileName() + ".lock");
            takeDotLock(dotLock);
            try {
                write(key, content);
            } finally {
                try {
                    Files.deleteIfExists(dotLock);
                } catch (IOException ignored) {
                    // a leftover dot-lock goes stale and is removed by the next writer
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private static void write(Path mbox, byte[] content) throws MailboxException {
        try (FileChannel ch = FileChannel.open(mbox, Set.of(StandardOpenOption.CREATE,
                StandardOpenOption.WRITE), MaildirWriter.PRIVATE)) {
            try (FileLock ignored = ch.lock()) {
                long oldSize = ch.size();
                try {
                    ByteBuffer buf = ByteBuffer.wrap(content);
                    long position = oldSize;
                    while (buf.hasRemaining()) {
                        position += ch.write(buf, position);
                    }
                    ch.force(true);
                } catch (IOException e) {
                    ch.truncate(oldSize); // qmail-local: "Unable to write ... I'm trying to recover"
                    ch.force(true);
                    throw e;
                }
            }
        } catch (IOException | SecurityException e) {
            throw new MailboxException("Unable to write " + mbox + ": " + MailboxException.reason(e) + ". (#4.3.0)");
        }
    }

    private static void takeDotLock(Path dotLock) throws MailboxException {
        long deadline = System.nanoTime() + DOTLOCK_WAIT.toNanos();
        while (true) {
            try {
                Files.createFile(dotLock);
                return;
            } catch (FileAlreadyExistsException busy) {
                removeIfStale(dotLock);
            } catch (IOException | SecurityException e) {
                throw new MailboxException("Unable to create dot-lock " + dotLock + ": "
                        + MailboxException.reason(e) + ". (#4.2.1)");
            }
            if (System.nanoTime() > deadline) {
                throw new MailboxException("Mailbox " + dotLock + " is locked; will try again. (#4.2.1)");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(DOTLOCK_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MailboxException("Interrupted while waiting for " + dotLock + ". (#4.3.0)");
            }
        }
    }

    private static void removeIfStale(Path dotLock) {
        try {
            FileTime modified = Files.getLastModifiedTime(dotLock);
            if (modified.toInstant().isBefore(Instant.now().minus(DOTLOCK_STALE))) {
                Files.deleteIfExists(dotLock);
            }
        } catch (IOException ignored) {
            // gone meanwhile: the next attempt takes it
        }
    }
}
