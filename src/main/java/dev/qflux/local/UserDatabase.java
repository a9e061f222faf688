package dev.qflux.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import reactor.core.scheduler.Scheduler;

/**
 * The passwd database and the alias directory's {@code .qmail-*} names, held in memory so that
 * lookups (including SMTP's RCPT check) never touch the disk. A refresh rereads them when their
 * modification time or size changed; it runs on the local delivery scheduler, never on an event
 * loop, and at most once per {@link #RECHECK_NANOS}.
 */
final class UserDatabase {
    /** How stale the in-memory copy may get before a lookup asks for a recheck: 5 seconds. */
    static final long RECHECK_NANOS = TimeUnit.SECONDS.toNanos(5);
    /** Largest passwd file read; a real one with 100,000 users is a few MB. */
    static final long MAX_PASSWD_BYTES = 64L * 1024 * 1024;

    /** One user from passwd that qmail-getpw would deliver to. */
    record PasswdUser(String name, int uid, int gid, Path home) {
    }

    /** What lookups read: replaced whole on refresh. */
    record Snapshot(Map<String, PasswdUser> users, Set<String> aliasFiles, int aliasUid, int aliasGid,
                    Stamp passwdStamp, Stamp aliasStamp) {
    }

    record Stamp(FileTime modified, long size) {
        static final Stamp NONE = new Stamp(FileTime.fromMillis(0), -1);
    }

    private final Path passwdFile;
    private final Path aliasDir;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private volatile Snapshot snapshot;
    private volatile long checkedAt;

    UserDatabase(Path passwdFile, Path aliasDir) {
        this.passwdFile = passwdFile;
        this.aliasDir = aliasDir;
        this.snapshot = new Snapshot(Map.of(), Set.of(), -1, -1, Stamp.NONE, Stamp.NONE);
    }

    Snapshot snapshot() {
        return snapshot;
    }

    Path aliasDir() {
        return aliasDir;
    }

    /** Non-blocking: if the copy is older than RECHECK_NANOS, schedules a refresh on {@code io}. */
    void recheckSoon(Scheduler io) {
        if (System.nanoTime() - checkedAt > RECHECK_NANOS && refreshing.compareAndSet(false, true)) {
            try {
                io.schedule(() -> {
                    try {
                        refresh();
                    } finally {
                        refreshing.set(false);
                    }
                });
            } catch (RuntimeException rejected) {
                refreshing.set(false); // scheduler closed or full: the next lookup asks again
            }
        }
    }

    /** Rereads what changed. Blocking I/O: call on the local delivery scheduler or at start-up. */
    void refresh() {
        Snapshot old = snapshot;
        Stamp passwdStamp = stamp(passwdFile);
        Stamp aliasStamp = stamp(aliasDir);
        Map<String, PasswdUser> users = passwdStamp.equals(old.passwdStamp()) ? old.users() : readPasswd();
        Set<String> aliasFiles = old.aliasFiles();
        int aliasUid = old.aliasUid();
        int aliasGid = old.aliasGid();
        if (!aliasStamp.equals(old.aliasStamp())) {
            aliasFiles = listAliasFiles();
            aliasUid = owner(aliasDir, "unix:uid");
            aliasGid = owner(aliasDir, "unix:gid");
        }
        snapshot = new Snapshot(users, aliasFiles, aliasUid, aliasGid, passwdStamp, aliasStamp);
        checkedAt = System.nanoTime();
    }

    /**
     * qmail-getpw's rules: the user's uid is not 0, the name is all lowercase (lookups lowercase
     * the address), and the user owns their home directory (so a stale passwd entry or a shared
     * directory does not receive mail).
     */
    private Map<String, PasswdUser> readPasswd() {
        Map<String, PasswdUser> users = new HashMap<>();
        String text;
        try {
            if (Files.size(passwdFile) > MAX_PASSWD_BYTES) {
                return users;
            }
            text = new String(Files.readAllBytes(passwdFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return snapshot.users(); // keep what we had; a missing passwd leaves only the alias user
        }
        for (String line : text.split("\n")) {
            String[] f = line.split(":", -1);
            if (f.length < 7 || f[0].isEmpty() || !f[0].equals(f[0].toLowerCase(Locale.ROOT))) {
                continue;
            }
            try {
                int uid = Integer.parseInt(f[2]);
                int gid = Integer.parseInt(f[3]);
                Path home = Path.of(f[5]);
                if (uid != 0 && home.isAbsolute() && owner(home, "unix:uid") == uid) {
                    users.putIfAbsent(f[0], new PasswdUser(f[0], uid, gid, home));
                }
            } catch (RuntimeException badLine) {
                // a malformed line (getpwnam skips it too)
            }
        }
        return Map.copyOf(users);
    }

    private Set<String> listAliasFiles() {
        Set<String> names = new HashSet<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(aliasDir, ".qmail-*")) {
            for (Path p : dir) {
                names.add(p.getFileName().toString());
            }
        } catch (IOException e) {
            return Set.of();
        }
        return Set.copyOf(names);
    }

    /** uid or gid of {@code path}, or -1 when it cannot be read. */
    private static int owner(Path path, String attribute) {
        try {
            return (Integer) Files.getAttribute(path, attribute);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static Stamp stamp(Path path) {
        try {
            var a = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class);
            return new Stamp(a.lastModifiedTime(), a.size());
        } catch (NoSuchFileException e) {
            return Stamp.NONE;
        } catch (IOException e) {
            return new Stamp(FileTime.fromMillis(1), -2); // unreadable: try again next time
        }
    }

    /** The alias user's home file for {@code name}, when the listing holds it. */
    Optional<Path> aliasFile(String name) {
        return snapshot.aliasFiles().contains(name) ? Optional.of(aliasDir.resolve(name)) : Optional.empty();
    }
}
