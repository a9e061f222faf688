package dev.qflux.inject;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Writes one maildrop file durably, the Maildir way: create it in tmp/, write and fsync it, rename
 * it into new/, fsync new/. Only then does inject exit 0 (the durable hand-off of design.md
 * invariant 1, for local programs). A failure leaves nothing in new/.
 */
final class MaildropWriter {
    /** rw-r--r--: the daemon may run as another user and must read it; nobody can list the directory. */
    static final int FILE_MODE = 0644;
    private static final int RANDOM_BYTES = 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private MaildropWriter() {
    }

    /** Writes {@code file} into queueDir/maildrop/new and returns its path there. Blocking. */
    static Path write(Path queueDir, byte[] file, long pid) throws InjectException {
        try {
            MaildropLayout.create(queueDir, false);
        } catch (IOException e) {
            throw new InjectException(Sysexits.CANT_CREATE, "cannot create the maildrop in " + queueDir
                    + " (" + describe(e) + "); start qflux once, or create it with mode 1733", e);
        }
        byte[] random = new byte[RANDOM_BYTES];
        RANDOM.nextBytes(random);
        String name = System.currentTimeMillis() + "." + pid + "." + HexFormat.of().formatHex(random);
        Path tmp = MaildropLayout.dir(queueDir, MaildropLayout.TMP).resolve(name);
        Path target = MaildropLayout.dir(queueDir, MaildropLayout.NEW).resolve(name);
        try (FileChannel channel = create(tmp)) {
            Files.setAttribute(tmp, "unix:mode", FILE_MODE);
            ByteBuffer buffer = ByteBuffer.wrap(file);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new InjectException(Sysexits.TEMP_FAIL, "cannot write " + tmp + ": " + describe(e), e);
        }
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new InjectException(Sysexits.CANT_CREATE, "cannot move " + tmp + " into " + target.getParent()
                    + ": " + describe(e), e);
        }
        try {
            MaildropLayout.syncDirectory(target.getParent());
        } catch (IOException e) {
            // The rename happened but may not survive a crash: say so, let the caller retry.
            // A retry may duplicate the message, which is better than losing it.
            throw new InjectException(Sysexits.TEMP_FAIL, "cannot fsync " + target.getParent() + ": " + describe(e), e);
        }
        return target;
    }

    private static FileChannel create(Path tmp) throws InjectException {
        try {
            return FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (AccessDeniedException | NoSuchFileException e) {
            throw new InjectException(Sysexits.CANT_CREATE, "cannot create " + tmp + ": " + describe(e)
                    + "; maildrop/tmp must be mode 1733", e);
        } catch (IOException e) {
            throw new InjectException(Sysexits.TEMP_FAIL, "cannot create " + tmp + ": " + describe(e), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // left in tmp/: the pickup removes stale tmp files
        }
    }

    static String describe(IOException e) {
        if (e instanceof FileSystemException) {
            String reason = ((FileSystemException) e).getReason();
            return reason != null ? reason : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
