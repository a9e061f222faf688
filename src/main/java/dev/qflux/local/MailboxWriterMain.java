package dev.qflux.local;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The per-user child that writes one Maildir or mbox delivery when qflux runs as root: started
 * as {@code setpriv --reuid=U --regid=G --clear-groups -- java ... MailboxWriterMain maildir|mbox
 * PATH HOST}, the bytes to write on stdin. Running with the user's ids, the kernel checks every
 * path as it would for the user, so symlinks and hard links in the home lead nowhere the user
 * could not write already. Prints one line; exits 0 when the message is safely stored, 111 (qmail's
 * temporary failure) otherwise. Depends on the JDK only, so the child loads few classes.
 */
public final class MailboxWriterMain {
    static final int EXIT_OK = 0;
    static final int EXIT_TEMPORARY = 111;
    static final int EXIT_USAGE = 100;

    private MailboxWriterMain() {
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        if (args.length != 3 || !(args[0].equals("maildir") || args[0].equals("mbox"))) {
            out.println("usage: MailboxWriterMain maildir|mbox PATH HOST");
            System.exit(EXIT_USAGE);
        }
        try {
            byte[] content = System.in.readAllBytes();
            Path path = Path.of(args[1]);
            if (args[0].equals("maildir")) {
                out.println(MaildirWriter.deliver(path, content, args[2]));
            } else {
                MboxWriter.append(path, content);
                out.println("ok");
            }
            System.exit(EXIT_OK);
        } catch (MailboxException e) {
            out.println(e.getMessage());
        } catch (IOException | RuntimeException e) {
            out.println("Unable to read the message: " + MailboxException.reason(e) + ". (#4.3.0)");
        }
        System.exit(EXIT_TEMPORARY);
    }
}
