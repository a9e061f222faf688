package dev.qflux.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Reads the control files of {@link Pop3Config}; blocking file reads, like ConfigLoader. */
final class Pop3ConfigLoader {
    /** qmail-popup.c and qmail-pop3d.c: {@code int timeout = 1200}. */
    static final long DEFAULT_TIMEOUT_POP3_SECONDS = 1200;
    /** POP3 sessions at once; each may hold a mailbox lock and a file being read. */
    static final long DEFAULT_CONCURRENCY_POP3 = 100;
    /** qmail-pop3d is conventionally run as {@code qmail-pop3d Maildir}. */
    static final String DEFAULT_MAILDIR = "Maildir";

    private Pop3ConfigLoader() {
    }

    static Pop3Config load(ControlReader control) throws ConfigException {
        Path cert = control.file("servercert.pem");
        return new Pop3Config(
                Duration.ofSeconds(control.number("timeoutpop3", DEFAULT_TIMEOUT_POP3_SECONDS, 1,
                        Integer.MAX_VALUE)),
                control.number("pop3plaintext", 0, 0, 1) == 1,
                maildirName(control),
                (int) control.number("concurrencypop3", DEFAULT_CONCURRENCY_POP3, 1, Integer.MAX_VALUE),
                Files.isRegularFile(cert) ? cert : null);
    }

    /** One relative directory name: a path that climbs out of the home directory is refused. */
    private static String maildirName(ControlReader control) throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(control.file("pop3maildir"));
        if (found.isEmpty()) {
            return DEFAULT_MAILDIR;
        }
        String text = found.get().content().strip();
        if (text.isEmpty() || text.startsWith("/") || text.equals("..") || text.startsWith("../")
                || text.contains("/../") || text.endsWith("/..")) {
            throw found.get().error("expected a directory relative to the home directory, such as"
                    + " Maildir, got " + ControlLine.quote(text));
        }
        return text;
    }
}
