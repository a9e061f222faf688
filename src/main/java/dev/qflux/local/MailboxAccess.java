package dev.qflux.local;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads and writes in a user's home with the user's rights. When qflux is that user, it does so
 * itself. When qflux runs as root it never touches a user's files as root: a {@code .qmail} file
 * is read by {@code cat} and a Maildir or mbox is written by a short-lived JVM
 * ({@link MailboxWriterMain}), both started through setpriv with the user's uid and gid. The kernel
 * then resolves every symlink and checks every permission as it would for the user, which no
 * check-then-open done by root can match (a user may swap a path between check and open).
 */
final class MailboxAccess {
    /** Largest .qmail file read: dot-qmail files are lines of text; this stops a huge one. */
    static final int MAX_DOT_QMAIL_BYTES = 1024 * 1024;
    /** The child's reply is one line. */
    private static final int MAX_CHILD_OUTPUT = 4096;
    /** A small heap and no JIT tiers beyond C1: the child runs for milliseconds. */
    private static final List<String> CHILD_JVM_OPTIONS = List.of(
            "-Xshare:auto", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx64m", "-XX:-UsePerfData");

    private final UserProcesses processes;
    private final Duration timeout;
    private final String host;
    private final List<String> childCommand;

    MailboxAccess(UserProcesses processes, Duration timeout, String host) {
        this.processes = processes;
        this.timeout = timeout;
        this.host = host;
        this.childCommand = childCommand();
    }

    void maildir(LocalUser user, Path dir, byte[] content) throws MailboxException, UserProcesses.CannotSwitch {
        if (processes.isSelf(user.uid())) {
            MaildirWriter.deliver(dir, content, host);
        } else {
            child(user, "maildir", dir, content);
        }
    }

    void mbox(LocalUser user, Path file, byte[] content) throws MailboxException, UserProcesses.CannotSwitch {
        if (processes.isSelf(user.uid())) {
            MboxWriter.append(file, content);
        } else {
            child(user, "mbox", file, content);
        }
    }

    /** The content of {@code file}, read with the user's rights; at most MAX_DOT_QMAIL_BYTES. */
    byte[] read(LocalUser user, Path file) throws MailboxException, UserProcesses.CannotSwitch {
        if (processes.isSelf(user.uid())) {
            try (var in = Files.newInputStream(file)) {
                return in.readNBytes(MAX_DOT_QMAIL_BYTES);
            } catch (IOException e) {
                throw new MailboxException("Unable to read " + file + ": " + MailboxException.reason(e) + ". (#4.3.0)");
            }
        }
        UserProcesses.Result r = run(user, List.of("cat", "--", file.toString()), new byte[0], MAX_DOT_QMAIL_BYTES);
        if (r.exitCode() != 0) {
            throw new MailboxException("Unable to read " + file + ": " + Texts.oneLine(r.output()) + " (#4.3.0)");
        }
        return r.output();
    }

    private void child(LocalUser user, String mode, Path path, byte[] content)
            throws MailboxException, UserProcesses.CannotSwitch {
        List<String> command = new ArrayList<>(childCommand);
        command.addAll(List.of(mode, path.toString(), host));
        UserProcesses.Result r = run(user, command, content, MAX_CHILD_OUTPUT);
        if (r.timedOut()) {
            throw new MailboxException("Timeout writing " + path + ". (#4.3.0)");
        }
        if (r.exitCode() != MailboxWriterMain.EXIT_OK) {
            String text = Texts.oneLine(r.output());
            throw new MailboxException(text.isEmpty() ? "Unable to write " + path + ". (#4.3.0)" : text);
        }
    }

    private UserProcesses.Result run(LocalUser user, List<String> command, byte[] stdin, int maxOutput)
            throws MailboxException, UserProcesses.CannotSwitch {
        try {
            return processes.run(command, user.uid(), user.gid(), user.home(),
                    Map.of("PATH", UserProcesses.PROGRAM_PATH), stdin, timeout, maxOutput);
        } catch (IOException e) {
            throw new MailboxException("Unable to start a process as uid " + user.uid() + ": "
                    + MailboxException.reason(e) + ". (#4.3.0)");
        }
    }

    /** This JVM's java binary and the class path entry holding MailboxWriterMain. */
    private static List<String> childCommand() {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(CHILD_JVM_OPTIONS);
        command.add("-cp");
        try {
            command.add(Path.of(MailboxWriterMain.class.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString());
        } catch (URISyntaxException | RuntimeException e) {
            command.add(System.getProperty("java.class.path"));
        }
        command.add(MailboxWriterMain.class.getName());
        return List.copyOf(command);
    }
}
