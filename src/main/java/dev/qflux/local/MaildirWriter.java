package dev.qflux.local;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Maildir delivery the safe way (maildir(5), qmail-local's maildir_child): write a uniquely named
 * file in {@code tmp/}, fsync it, hard-link it into {@code new/}, remove the {@code tmp/} name,
 * fsync {@code new/}. A reader never sees a partial message; a crash leaves at most a file in
 * {@code tmp/}. Uses only the JDK: it also runs in the per-user child (see MailboxWriterMain).
 */
final class MaildirWriter {
    private static final AtomicLong DELIVERIES = new AtomicLong();
    /** A message is its owner's alone. */
    static final FileAttribute<?> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private MaildirWriter() {
    }

    /**
     * Writes {@code content} as a new message in {@code maildir}.
     *
     * @return the file's name in {@code new/}
     * @throws MailboxException saying what failed, temporary in every case (as qmail-local)
     */
    static String deliver(Path maildir, byte[] content, String host) throws MailboxException {
        if (!Files.isDirectory(maildir.resolve("tmp")) || !Files.isDirectory(maildir.resolve("new"))) {
            throw new MailboxException("Unable to chdir to maildir " + maildir + ". (#4.2.1)");
        }
        String name = uniqueName(host);
        Path tmp = maildir.resolve("tmp").resolve(name);
        Path fresh = maildir.resolve("new").resolve(name);
        try {
            try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE), PRIVATE)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.createLink(fresh, tmp);
            Files.delete(tmp);
            try (FileChannel dir = FileChannel.open(maildir.resolve("new"), StandardOpenOption.READ)) {
                dir.force(true);
            }
            return name;
        } catch (IOException | SecurityException e) {
            deleteQuietly(tmp);
            throw new MailboxException("Unable to write maildir " + maildir + ": " + MailboxException.reason(e)
                    + ". (#4.3.0)");
        }
    }

    /**
     * {@code seconds.M<microseconds>P<pid>Q<count>.<host>}: unique across processes (pid), within
     * one (count) and over time, as maildir(5) asks; {@code /} and {@code :} in the host are
     * escaped as octal, the way maildir(5) says.
     */
    static String uniqueName(String host) {
        long micros = System.currentTimeMillis() * 1000 + (System.nanoTime() / 1000) % 1000;
        return (micros / 1_000_000) + ".M" + (micros % 1_000_000) + "P" + ProcessHandle.current().pid()
                + "Q" + DELIVERIES.incrementAndGet() + "." + host.replace("/", "\\057").replace(":", "\\072");
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException | SecurityException ignored) {
            // a leftover in tmp/ is harmless: maildir readers clean tmp/ of old files
        }
    }
}
