package dev.qflux.auth;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * control/passwords: one account per line, {@code user:$pbkdf2-sha256$ITER$SALT$HASH:home}, where
 * home (where POP3 finds Maildir/) may be empty; {@code #} starts a comment line. User names hold
 * no ':' and no blanks. Written only whole: a temporary file in the same directory, fsynced, mode
 * 0600, renamed over the old one, so a reader sees the old file or the new one, never half.
 * Blocking file I/O.
 */
public final class PasswordFile {
    /** One account line. */
    record Entry(String user, String hash, String home) {
        String line() {
            return user + ":" + hash + ":" + (home == null ? "" : home);
        }
    }

    private PasswordFile() {
    }

    /** The entry for {@code user}, or null; a malformed line is an IOException naming file:line. */
    static Entry find(Path file, String user) throws IOException {
        for (Entry e : read(file)) {
            if (e.user.equals(user)) {
                return e;
            }
        }
        return null;
    }

    static List<Entry> read(Path file) throws IOException {
        List<Entry> out = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return out;
        }
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split(":", 3);
            String problem = f.length < 2 ? "expected user:hash:home"
                    : validUser(f[0]) ? PasswordHash.problem(f[1]) : "bad user name";
            if (problem != null) {
                throw new IOException(file + ":" + n + ": " + problem);
            }
            out.add(new Entry(f[0], f[1], f.length == 3 && !f[2].isEmpty() ? f[2] : null));
        }
        return out;
    }

    /** A name that fits the file: not empty, no ':', no blanks or control characters. */
    public static boolean validUser(String user) {
        if (user.isEmpty() || user.length() > 255) {
            return false;
        }
        for (int i = 0; i < user.length(); i++) {
            char c = user.charAt(i);
            if (c <= ' ' || c == ':' || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    /**
     * Sets {@code user}'s password hash, keeping the home already recorded (or the one given when
     * the user is new, which may be null), and every other line as it was.
     */
    public static void setPassword(Path file, String user, String hash, String newHome) throws IOException {
        if (!validUser(user)) {
            throw new IllegalArgumentException("bad user name");
        }
        List<String> lines = new ArrayList<>();
        boolean found = false;
        if (Files.exists(file)) {
            read(file); // refuse to rewrite a file we cannot parse
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split(":", 3);
                if (!line.startsWith("#") && f[0].equals(user)) {
                    String home = f.length == 3 ? f[2] : "";
                    lines.add(new Entry(user, hash, newHome != null ? newHome : home).line());
                    found = true;
                } else {
                    lines.add(line);
                }
            }
        }
        if (!found) {
            lines.add(new Entry(user, hash, newHome).line());
        }
        writeAtomically(file, String.join("\n", lines) + "\n");
    }

    private static void writeAtomically(Path file, String text) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".passwords", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException(dir + ": cannot replace files atomically", e);
            }
            try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
                d.force(true); // the rename itself survives a crash
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
