package dev.qflux.pop3;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exclusive access to one Maildir for one POP3 session (RFC 1939 section 4: the server acquires
 * an exclusive-access lock on the maildrop). A {@code fcntl} lock on {@code .qflux-pop3.lock}
 * inside the Maildir: the kernel drops it if the process dies, so a crash leaves no stale lock,
 * and the JDK refuses a second lock on the same file from this process too. Blocking: call only
 * on the POP3 I/O scheduler.
 */
final class MaildropLock implements AutoCloseable {
    /** A dot file: Maildir readers skip names starting with "." at the top level. */
    static final String LOCK_FILE = ".qflux-pop3.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private MaildropLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another session holds it. */
    static MaildropLock tryAcquire(Path maildir) throws IOException {
        FileChannel channel = FileChannel.open(maildir.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        try {
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                return null;
            }
            return new MaildropLock(channel, lock);
        } catch (OverlappingFileLockException heldHere) {
            channel.close();
            return null;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing the channel releases the lock in any case
        }
    }
}
