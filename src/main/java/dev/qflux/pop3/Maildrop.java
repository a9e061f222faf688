package dev.qflux.pop3;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * One user's Maildir as qmail-pop3d sees it: every message of {@code new/} is moved to
 * {@code cur/} with the {@code :2,} info when the session starts, then the messages of
 * {@code cur/} are listed oldest first. Blocking file I/O: call only on the POP3 I/O scheduler.
 */
final class Maildrop {
    /** One listed message; {@code size} counts octets as sent, with CRLF line ends. */
    record Message(Path file, String uid, long size) {
    }

    /** Read size when counting line ends of a message that carries no {@code ,W=} size. */
    private static final int COUNT_CHUNK = 64 * 1024;
    /** Maildir's "experimental semantics" info a message gets on leaving new/ (maildir(5)). */
    private static final String INFO = ":2,";

    private final Path maildir;
    private final List<Message> messages;

    private Maildrop(Path maildir, List<Message> messages) {
        this.maildir = maildir;
        this.messages = messages;
    }

    /** Moves new/ to cur/ and lists cur/; fails if {@code maildir} has no new/ and cur/. */
    static Maildrop open(Path maildir) throws IOException {
        Path cur = maildir.resolve("cur");
        Path fresh = maildir.resolve("new");
        if (!Files.isDirectory(cur) || !Files.isDirectory(fresh)) {
            throw new NoSuchFileException(maildir + " is not a Maildir (no cur/ or new/)");
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(fresh)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                String target = name.indexOf(':') >= 0 ? name : name + INFO;
                try {
                    Files.move(f, cur.resolve(target), StandardCopyOption.ATOMIC_MOVE);
                } catch (NoSuchFileException gone) {
                    // another reader moved or removed it first: it is listed from cur/ or gone
                }
            }
        }
        record Found(Path file, long mtime, String name) {
        }
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(cur)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (a.isRegularFile()) {
                        found.add(new Found(f, a.lastModifiedTime().toMillis(), name));
                    }
                } catch (NoSuchFileException gone) {
                    // removed since the directory was read
                }
            }
        }
        // qmail-pop3d sorts by modification time, so message 1 is the oldest.
        found.sort(Comparator.comparingLong(Found::mtime).thenComparing(Found::name));
        List<Message> messages = new ArrayList<>(found.size());
        for (Found f : found) {
            try {
                messages.add(new Message(f.file(), uid(f.name()), wireSize(f.file(), f.name())));
            } catch (NoSuchFileException gone) {
                // removed since it was listed
            }
        }
        return new Maildrop(maildir, List.copyOf(messages));
    }

    Path path() {
        return maildir;
    }

    List<Message> messages() {
        return messages;
    }

    /**
     * The UPDATE state (RFC 1939 section 6): removes the messages marked deleted.
     *
     * @return how many were removed (one already gone counts: it is not there any more)
     * @throws IOException after trying every one, if any could not be removed
     */
    int expunge(BitSet deleted) throws IOException {
        int removed = 0;
        IOException failed = null;
        for (int i = deleted.nextSetBit(0); i >= 0; i = deleted.nextSetBit(i + 1)) {
            try {
                Files.deleteIfExists(messages.get(i).file());
                removed++;
            } catch (IOException e) {
                failed = e;
            }
        }
        if (failed != null) {
            throw failed;
        }
        return removed;
    }

    /** The unique part of a Maildir name: all before the info's {@code :} (maildir(5)). */
    static String uid(String name) {
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(0, colon);
    }

    /**
     * Octets as RETR sends them: each LF without a CR before it becomes CRLF, and a last line
     * without LF gets CRLF. A name carrying Dovecot's {@code ,W=} (that very size) is believed.
     */
    static long wireSize(Path file, String name) throws IOException {
        long stated = statedWireSize(name);
        if (stated >= 0) {
            return stated;
        }
        try (FileChannel ch = FileChannel.open(file)) {
            ByteBuffer buf = ByteBuffer.allocate(COUNT_CHUNK);
            long bytes = 0;
            long added = 0;
            byte prev = '\n';
            while (ch.read(buf.clear()) > 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    byte b = buf.get();
                    if (b == '\n' && prev != '\r') {
                        added++;
                    }
                    prev = b;
                    bytes++;
                }
            }
            if (bytes > 0 && prev != '\n') {
                added += 2;
            }
            return bytes + added;
        }
    }

    private static long statedWireSize(String name) {
        String unique = uid(name);
        int at = unique.indexOf(",W=");
        if (at < 0) {
            return -1;
        }
        int end = at + 3;
        while (end < unique.length() && Character.isDigit(unique.charAt(end))) {
            end++;
        }
        String digits = unique.substring(at + 3, end);
        return digits.isEmpty() || digits.length() > 18 ? -1 : Long.parseLong(digits);
    }
}
