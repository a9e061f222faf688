package dev.qflux.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * mbox delivery as qmail-local's mailfile: lock, append, fsync, and on any failure truncate the
 * file back to its old size so a half-written message never stays. Locks, all three held while
 * appending: a lock per file inside this JVM (Java's file locks are per process), a POSIX
 * {@code fcntl} lock (what {@link FileChannel#lock()} takes; mutt, procmail and Dovecot honour it)
 * and the {@code file.lock} dot-lock of mail readers that use none of those (skipped where the
 * directory allows no new file). Uses only the JDK.
 */
final class MboxWriter {
    /** How long to wait for another writer's dot-lock before deferring: 2 minutes. */
    static final Duration DOTLOCK_WAIT = Duration.ofMinutes(2);
    /** A dot-lock older than this is stale (its owner died): 5 minutes, as procmail's default. */
    static final Duration DOTLOCK_STALE = Duration.ofMinutes(5);
    /** Pause between dot-lock attempts; on a blocking thread of the local scheduler. */
    private static final long DOTLOCK_RETRY_MILLIS = 100;
    /** In-process locks, striped by path: bounded, unlike one lock per mbox ever written. */
    private static final int LOCK_STRIPES = 64;
    private static final ReentrantLock[] IN_PROCESS = new ReentrantLock[LOCK_STRIPES];

    static {
        for (int i = 0; i < LOCK_STRIPES; i++) {
            IN_PROCESS[i] = new ReentrantLock();
        }
    }

    private MboxWriter() {
    }

    /** Appends {@code content} (one whole mbox entry) to {@code mbox}, creating it mode 0600. */
    static void append(Path mbox, byte[] content) throws MailboxException {
        Path key = mbox.toAbsolutePath().normalize();
        ReentrantLock lock = IN_PROCESS[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            Path dotLock = key.resolveSibling(key.getFileName() + ".lock");
            boolean dotLocked = takeDotLock(dotLock);
            try {
                write(key, content);
            } finally {
                if (dotLocked) {
                    try {
                        Files.deleteIfExists(dotLock);
                    } catch (IOException ignored) {
                        // a leftover dot-lock goes stale and is removed by the next writer
                    }
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

    /**
     * Takes the dot-lock; false when the directory does not let us create one (a shared spool such
     * as /var/mail without the mail group): then the fcntl lock alone protects the append, as
     * qmail-local's flock did.
     */
    private static boolean takeDotLock(Path dotLock) throws MailboxException {
        long deadline = System.nanoTime() + DOTLOCK_WAIT.toNanos();
        while (true) {
            try {
                Files.createFile(dotLock);
                return true;
            } catch (FileAlreadyExistsException busy) {
                removeIfStale(dotLock);
            } catch (AccessDeniedException noRight) {
                return false;
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
