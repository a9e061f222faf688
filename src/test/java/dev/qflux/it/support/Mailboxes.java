package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Local mailboxes for integration tests run as root: homes owned by {@code nobody}, so qflux
 * must deliver as that user, and messages read back by Python's mailbox module (a real reader).
 */
public final class Mailboxes {
    /** nobody's uid and gid on Debian. */
    public static final int NOBODY = 65534;
    private static final Duration READ_BOUND = Duration.ofSeconds(120);

    private Mailboxes() {
    }

    /** Makes the Maildir's tmp/, new/ and cur/ (qmail does not create a Maildir). */
    public static void maildir(Path md) throws IOException {
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(md.resolve(sub));
        }
    }

    /** Entries in a directory, or -1 when it cannot be listed (a condition to wait on). */
    public static long files(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** Gives everything under {@code root} to nobody, links themselves not followed. */
    public static void chownToNobody(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }
    }

    /** Each message as Python's mailbox module reads it from the Maildir. */
    public static List<String> readMaildir(Path md) {
        String script = "import mailbox, sys\n"
                + "for key, msg in mailbox.Maildir(sys.argv[1], factory=None, create=False).items():\n"
                + "    sys.stdout.write(msg.as_string().replace('\\n', '\\\\n') + '\\n')\n";
        ExternalProcess.Result r = ExternalProcess.run(READ_BOUND, List.of("python3", "-c", script, md.toString()));
        if (r.exitCode() != 0) {
            throw new UncheckedIOException(new IOException(r.describe()));
        }
        return r.stdout().lines().map(l -> l.replace("\\n", "\n")).toList();
    }
}
