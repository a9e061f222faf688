package dev.qflux.local;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.route.Route;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * qmail-local for one recipient: find the user and the {@code .qmail} file, check it is safe,
 * then follow its lines in order - files and programs now, forwards collected for the end - and
 * turn what happened into a {@link RecipientOutcome}. Blocking: runs on the local scheduler.
 */
final class RecipientDelivery {
    static final String LOOP = "This message is looping: it already has my Delivered-To line. (#5.4.6)";
    static final String NO_MAILBOX = "Sorry, no mailbox here by that name. (#5.1.1)";
    /** No file name and no program environment (EXT, LOCAL) can hold a NUL: nothing can be this mailbox. */
    static final String UNNAMEABLE = "Sorry, no mailbox here by that name: the address holds a NUL. (#5.1.1)";

    /** One forward to queue: the message goes to {@code recipients} with envelope {@code sender}. */
    record Forward(String sender, List<String> recipients, byte[] message) {
    }

    /** The outcome, and the forwards to queue first when it is Delivered. */
    record Plan(RecipientOutcome outcome, List<Forward> forwards) {
        static Plan of(RecipientOutcome outcome) {
            return new Plan(outcome, List.of());
        }
    }

    private final LocalSettings settings;
    private final UserResolver users;
    private final UserProcesses processes;
    private final MailboxAccess mailboxes;

    RecipientDelivery(LocalSettings settings, UserResolver users, UserProcesses processes, MailboxAccess mailboxes) {
        this.settings = settings;
        this.users = users;
        this.processes = processes;
        this.mailboxes = mailboxes;
    }

    Plan run(String sender, Route.Local recipient, byte[] spooled) {
        if (UserResolver.unnameable(recipient.address())) {
            return Plan.of(new RecipientOutcome.Failed(UNNAMEABLE));
        }
        LocalUser user = users.resolve(recipient.user());
        if (user.uid() < 0) {
            return deferred("The alias directory " + user.home() + " is missing or unreadable. (#4.3.0)");
        }
        if (user.uid() == 0) {
            return deferred("Refusing to deliver as root for " + user.name()
                    + "; give that mailbox a user of its own. (#4.3.0)");
        }
        PosixFileAttributes home = attributes(user.home());
        if (home == null || !home.isDirectory()) {
            return deferred("Unable to switch to " + user.home() + ": no such directory. (#4.3.0)");
        }
        if (isSticky(user.home())) {
            return deferred("Home directory is sticky: user is editing his .qmail file. (#4.2.1)");
        }
        if (home.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
            return deferred("Uh-oh: home directory is writable. (#4.7.0)");
        }
        String dtLine = MessageImage.dtLine(recipient.address());
        MessageImage image = new MessageImage(spooled);
        if (image.hasHeaderLine(dtLine)) {
            return Plan.of(new RecipientOutcome.Failed(LOOP));
        }
        try {
            return follow(sender, recipient, user, image, dtLine);
        } catch (MailboxException e) {
            return deferred(e.getMessage());
        } catch (UserProcesses.CannotSwitch e) {
            return deferred(e.getMessage());
        }
    }

    private Plan follow(String sender, Route.Local recipient, LocalUser user, MessageImage image, String dtLine)
            throws MailboxException, UserProcesses.CannotSwitch {
        List<DotQmail.Line> lines = null;
        String defaultPart = null;
        boolean found = false;
        for (DotQmailFinder.Candidate c : DotQmailFinder.search(user.dash(), user.ext())) {
            Path file = user.home().resolve(c.fileName());
            PosixFileAttributes a = attributes(file);
            if (a == null) {
                continue;
            }
            if (a.permissions().contains(PosixFilePermission.GROUP_WRITE)
                    || a.permissions().contains(PosixFilePermission.OTHERS_WRITE)) {
                return deferred("Uh-oh: " + c.fileName() + " file is writable. (#4.7.0)");
            }
            byte[] content = a.size() == 0 ? new byte[0] : mailboxes.read(user, file);
            if (content.length > 0) { // dot-qmail(5): an empty .qmail means the default delivery
                lines = DotQmail.parse(content);
            }
            defaultPart = c.defaultPart();
            found = true;
            break;
        }
        if (!found && !user.ext().isEmpty()) {
            return Plan.of(new RecipientOutcome.Failed(NO_MAILBOX));
        }
        if (lines == null) {
            lines = DotQmail.parse(MessageImage.ascii(settings.defaultDelivery()));
        }
        String newSender = newSender(sender, recipient, user);
        ZonedDateTime now = ZonedDateTime.now();
        String rpLine = MessageImage.rpLine(sender);
        String ufLine = MessageImage.ufLine(sender, now);
        int files = 0;
        int programs = 0;
        List<String> forwardTo = new ArrayList<>();
        StringBuilder said = new StringBuilder();
        for (DotQmail.Line line : lines) {
            if (line instanceof DotQmail.Forward f) {
                forwardTo.add(f.address().indexOf('@') >= 0 ? f.address() : f.address() + "@" + settings.envNoAtHost());
            } else if (line instanceof DotQmail.Maildir m) {
                mailboxes.maildir(user, user.home().resolve(m.path()), image.forFile(rpLine, dtLine));
                files++;
            } else if (line instanceof DotQmail.Mbox m) {
                mailboxes.mbox(user, user.home().resolve(m.path()), image.forMbox(ufLine, rpLine, dtLine));
                files++;
            } else if (line instanceof DotQmail.Program p) {
                Map<String, String> env = ProgramEnvironment.of(sender, newSender, recipient.address(), user,
                        defaultPart, ufLine, rpLine, dtLine);
                ProgramOutcome result = ProgramOutcome.of(run(user, p.command(), env, image.forFile(rpLine, dtLine)),
                        settings.timeoutLocal());
                programs++;
                if (!(result.outcome() instanceof RecipientOutcome.Delivered)) {
                    return Plan.of(result.outcome());
                }
                said.append(result.outcome().text());
                if (result.stopHere()) {
                    break; // qmail-command(8): exit 99 = success, skip the remaining lines
                }
            }
        }
        String text = "did " + files + "+" + forwardTo.size() + "+" + programs + "/" + said;
        return new Plan(new RecipientOutcome.Delivered(text), forwards(image, dtLine, newSender, forwardTo, user));
    }

    private UserProcesses.Result run(LocalUser user, String command, Map<String, String> env, byte[] stdin)
            throws MailboxException, UserProcesses.CannotSwitch {
        try {
            return processes.run(List.of("/bin/sh", "-c", command), user.uid(), user.gid(), user.home(), env,
                    stdin, settings.timeoutLocal(), Texts.MAX_TEXT);
        } catch (IOException e) {
            throw new MailboxException("Unable to run " + command + ": " + MailboxException.reason(e) + ". (#4.3.0)");
        }
    }

    /**
     * Mailing lists (dot-qmail(5)): with {@code .qmail-ext-owner}, forwards go out from
     * {@code local-owner@host}; with {@code .qmail-ext-owner-default} too, from a VERP address per
     * recipient. A bounce (empty sender) stays a bounce.
     */
    private String newSender(String sender, Route.Local recipient, LocalUser user) {
        if (sender.isEmpty() || attributes(user.home().resolve(DotQmailFinder.owner(user.dash(), user.ext(), "owner"))) == null) {
            return sender;
        }
        int at = recipient.address().lastIndexOf('@');
        String local = at < 0 ? recipient.address() : recipient.address().substring(0, at);
        String host = at < 0 ? settings.envNoAtHost() : recipient.address().substring(at + 1);
        boolean verp = attributes(user.home().resolve(DotQmailFinder.owner(user.dash(), user.ext(), "owner-default"))) != null;
        return local + "-owner" + (verp ? "-@" + host + "-@[]" : "@" + host);
    }

    /** One forward, or one per recipient when the sender is VERP'd (qmail-send's {@code -@[]}). */
    private static List<Forward> forwards(MessageImage image, String dtLine, String newSender, List<String> to,
                                          LocalUser user) {
        if (to.isEmpty()) {
            return List.of();
        }
        byte[] message = image.forForward(dtLine);
        if (!newSender.endsWith("-@[]")) {
            return List.of(new Forward(newSender, List.copyOf(to), message));
        }
        String base = newSender.substring(0, newSender.length() - "-@[]".length()); // local-owner-@host
        int at = base.lastIndexOf('@');
        List<Forward> each = new ArrayList<>();
        for (String rcpt : to) {
            int rat = rcpt.lastIndexOf('@');
            String verp = base.substring(0, at) + rcpt.substring(0, rat) + "=" + rcpt.substring(rat + 1)
                    + base.substring(at);
            each.add(new Forward(verp, List.of(rcpt), message));
        }
        return each;
    }

    private static boolean isSticky(Path dir) {
        try {
            return ((Integer) Files.getAttribute(dir, "unix:mode") & 01000) != 0;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Attributes following links, or null when the file does not exist (or cannot be seen). */
    private static PosixFileAttributes attributes(Path p) {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Plan deferred(String text) {
        return Plan.of(new RecipientOutcome.Deferred(text));
    }
}
