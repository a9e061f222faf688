package dev.qflux.inject;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the maildrop lives inside the queue directory:
 * <pre>
 * queueDir/maildrop/       0755  
 * queueDir/maildrop/tmp/   1733  inject writes a file here, fsyncs it...
 * queueDir/maildrop/new/   1733  ...and renames it here: from now on it will be queued
 * queueDir/maildrop/cur/   0700  the pickup moves a file here before reading it, out of its owner's reach
 * queueDir/maildrop/bad/   0700  files that are not maildrop files, kept for the administrator
 * </pre>
 * tmp and new are writable by every user, like /tmp: the sticky bit lets nobody but the owner (and
 * the daemon, which owns the directory) rename or remove a file, and without read permission nobody
 * can list the names, which carry a random part.
 */
final class MaildropLayout {
    static final String MAILDROP = "maildrop";
    static final String TMP = "tmp";
    static final String NEW = "new";
    static final String CUR = "cur";
    static final String BAD = "bad";
    /** drwx-wx-wt: anyone may create, nobody may list, only owners may remove (sticky). */
    static final int DROP_MODE = 01733;
    static final int TOP_MODE = 0755;
    static final int PRIVATE_MODE = 0700;

    private MaildropLayout() {
    }

    static Path root(Path queueDir) {
        return queueDir.resolve(MAILDROP);
    }

    static Path dir(Path queueDir, String name) {
        return root(queueDir).resolve(name);
    }

    /** Creates the directories that are missing with their modes (whatever the umask); blocking. */
    static void create(Path queueDir, boolean privateToo) throws IOException {
        if (!Files.isDirectory(queueDir)) {
            Files.createDirectories(queueDir); // no daemon has run yet: the spool fills it in later
        }
        createDir(root(queueDir), TOP_MODE);
        createDir(dir(queueDir, TMP), DROP_MODE);
        createDir(dir(queueDir, NEW), DROP_MODE);
        if (privateToo) {
            createDir(dir(queueDir, CUR), PRIVATE_MODE);
            createDir(dir(queueDir, BAD), PRIVATE_MODE);
        }
    }

    private static void createDir(Path dir, int mode) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException raced) {
            return; // another inject made it first
        }
        Files.setAttribute(dir, "unix:mode", mode);
        syncDirectory(dir.getParent());
    }

    /** fsync(2) on the directory, so names created or renamed in it survive a crash. */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
