package dev.qflux.local;

import static dev.qflux.local.LocalFixture.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .qmail semantics: forwards, extensions, programs and their exit codes, loops, owners. */
class DotQmailTest {
    static final String MESSAGE = "Subject: hi\n\nbody\n";

    @TempDir
    Path temp;
    LocalFixture fx;

    @BeforeEach
    void setUp() {
        fx = new LocalFixture(temp);
        fx.assign("+joe-:nobody:65534:65534:" + fx.home + ":-::\n=joe:nobody:65534:65534:" + fx.home + ":::\n.\n");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private RecipientOutcome deliver(String address) {
        return fx.deliver("ann@example.org", address, crlf(MESSAGE));
    }

    @Test
    void forwardsGoToTheForwarderWithDeliveredToFirst() {
        fx.file(fx.home, ".qmail", "# comment\n&bob@example.net\n  carol@example.net  \ndave\n");

        RecipientOutcome outcome = deliver("joe@mail.example.com");

        assertThat(outcome).isEqualTo(new RecipientOutcome.Delivered("did 0+3+0/"));
        assertThat(fx.forwarded).containsExactly(new LocalFixture.Forwarded("ann@example.org",
                List.of("bob@example.net", "carol@example.net", "dave@mail.example.com"),
                "Delivered-To: joe@mail.example.com\r\n" + crlf(MESSAGE)));
    }

    @Test
    void forwardingLoopIsStoppedByOurDeliveredToLine() {
        fx.file(fx.home, ".qmail", "&bob@example.net\n");
        RecipientOutcome first = deliver("joe@mail.example.com");
        String comesBack = fx.forwarded.get(0).message();

        RecipientOutcome second = fx.deliver("ann@example.org", "joe@mail.example.com", comesBack);

        assertThat(first).isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(second).isEqualTo(new RecipientOutcome.Failed(
                "This message is looping: it already has my Delivered-To line. (#5.4.6)"));
        assertThat(fx.forwarded).hasSize(1);
    }

    @Test
    void aForwardingChainCarriesEveryDeliveredToLineAndEndsWhereItStarted() {
        fx.file(fx.home, ".qmail", "&joe-b@mail.example.com\n");
        fx.file(fx.home, ".qmail-b", "&joe-c@mail.example.com\n");
        fx.file(fx.home, ".qmail-c", "&joe@mail.example.com\n");

        String message = crlf(MESSAGE);
        List<String> hops = List.of("joe@mail.example.com", "joe-b@mail.example.com", "joe-c@mail.example.com");
        for (String hop : hops) {
            assertThat(fx.deliver("ann@example.org", hop, message)).isInstanceOf(RecipientOutcome.Delivered.class);
            message = fx.forwarded.get(fx.forwarded.size() - 1).message();
        }
        RecipientOutcome back = fx.deliver("ann@example.org", "joe@mail.example.com", message);

        assertThat(fx.forwarded).extracting(f -> f.recipients().get(0))
                .containsExactly("joe-b@mail.example.com", "joe-c@mail.example.com", "joe@mail.example.com");
        assertThat(fx.forwarded).allMatch(f -> f.sender().equals("ann@example.org"));
        assertThat(message).isEqualTo("Delivered-To: joe-c@mail.example.com\r\nDelivered-To: joe-b@mail.example.com\r\n"
                + "Delivered-To: joe@mail.example.com\r\n" + crlf(MESSAGE));
        assertThat(back).isEqualTo(new RecipientOutcome.Failed(RecipientDelivery.LOOP));
    }

    @Test
    void extensionsPickTheirFileThenDefaults() {
        fx.file(fx.home, ".qmail-list", "&list@example.net\n");
        fx.file(fx.home, ".qmail-foo-default", "&foo-default@example.net\n");
        fx.file(fx.home, ".qmail-default", "&default@example.net\n");
        fx.file(fx.home, ".qmail-a:b", "&dotted@example.net\n");

        deliver("joe-list@mail.example.com");
        deliver("joe-LIST@mail.example.com");
        deliver("joe-foo-bar@mail.example.com");
        deliver("joe-other@mail.example.com");
        deliver("joe-a.b@mail.example.com");

        assertThat(fx.forwarded).extracting(f -> f.recipients().get(0)).containsExactly(
                "list@example.net", "list@example.net", "foo-default@example.net", "default@example.net",
                "dotted@example.net");
    }

    @Test
    void anExtensionWithoutAFileHasNoMailbox() {
        fx.file(fx.home, ".qmail", "&bob@example.net\n");
        assertThat(deliver("joe-nothing@mail.example.com"))
                .isEqualTo(new RecipientOutcome.Failed("Sorry, no mailbox here by that name. (#5.1.1)"));
    }

    @Test
    void programExitCodesDecideTheOutcome() {
        fx.file(fx.home, ".qmail-ok", "|echo fine\n&after@example.net\n");
        fx.file(fx.home, ".qmail-skip", "|echo skipped rest; exit 99\n&never@example.net\n");
        fx.file(fx.home, ".qmail-hard", "|echo no such list >&2; exit 100\n");
        fx.file(fx.home, ".qmail-soft", "|exit 111\n");
        fx.file(fx.home, ".qmail-data", "|exit 65\n");

        assertThat(deliver("joe-ok@mail.example.com")).isEqualTo(new RecipientOutcome.Delivered("did 0+1+1/fine"));
        assertThat(deliver("joe-skip@mail.example.com"))
                .isEqualTo(new RecipientOutcome.Delivered("did 0+0+1/skipped rest"));
        assertThat(deliver("joe-hard@mail.example.com")).isEqualTo(new RecipientOutcome.Failed("no such list"));
        assertThat(deliver("joe-soft@mail.example.com"))
                .isEqualTo(new RecipientOutcome.Deferred("Program exited with status 111."));
        assertThat(deliver("joe-data@mail.example.com")).isInstanceOf(RecipientOutcome.Failed.class);
        assertThat(fx.forwarded).extracting(f -> f.recipients().get(0)).containsExactly("after@example.net");
    }

    @Test
    void programSeesQmailsEnvironmentAndTheMessageOnStdin() throws Exception {
        fx.file(fx.home, ".qmail-foo-default",
                "|env > env.out; cat > stdin.out\n");

        RecipientOutcome outcome = deliver("joe-foo-bar-baz-q@mail.example.com");

        assertThat(outcome).isInstanceOf(RecipientOutcome.Delivered.class);
        List<String> env = Files.readAllLines(fx.home.resolve("env.out"));
        assertThat(env).contains(
                "SENDER=ann@example.org", "NEWSENDER=ann@example.org", "RECIPIENT=joe-foo-bar-baz-q@mail.example.com",
                "USER=nobody", "HOME=" + fx.home, "HOST=mail.example.com", "HOST2=mail.example",
                "HOST3=mail", "HOST4=mail", "LOCAL=joe-foo-bar-baz-q", "EXT=foo-bar-baz-q", "EXT2=bar-baz-q",
                "EXT3=baz-q", "EXT4=q", "DEFAULT=bar-baz-q", "RPLINE=Return-Path: <ann@example.org>",
                "DTLINE=Delivered-To: joe-foo-bar-baz-q@mail.example.com");
        assertThat(env).anyMatch(l -> l.matches("UFLINE=From ann@example.org \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4}"));
        assertThat(Files.readString(fx.home.resolve("stdin.out"))).isEqualTo(
                "Return-Path: <ann@example.org>\nDelivered-To: joe-foo-bar-baz-q@mail.example.com\n" + MESSAGE);
    }

    @Test
    void programTimeoutDefers() {
        fx.timeout(java.time.Duration.ofSeconds(1));
        fx.file(fx.home, ".qmail", "|exec sleep 600\n");
        assertThat(deliver("joe@mail.example.com")).isEqualTo(
                new RecipientOutcome.Deferred("Timeout on program delivery after 1 seconds. (#4.3.0)"));
    }

    @Test
    void writableDotQmailOrStickyHomeDefers() throws Exception {
        Path file = fx.file(fx.home, ".qmail", "&bob@example.net\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-r--"));
        assertThat(deliver("joe@mail.example.com"))
                .isEqualTo(new RecipientOutcome.Deferred("Uh-oh: .qmail file is writable. (#4.7.0)"));

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setAttribute(fx.home, "unix:mode", 01755);
        assertThat(deliver("joe@mail.example.com")).isEqualTo(new RecipientOutcome.Deferred(
                "Home directory is sticky: user is editing his .qmail file. (#4.2.1)"));
        assertThat(fx.forwarded).isEmpty();
    }

    @Test
    void ownerFileChangesTheForwardSenderAndOwnerDefaultVerpsIt() {
        fx.file(fx.home, ".qmail-list", "&a@example.net\n&b@example.org\n");
        fx.file(fx.home, ".qmail-list-owner", "&joe@example.net\n");
        deliver("joe-list@mail.example.com");
        assertThat(fx.forwarded).singleElement().satisfies(f -> {
            assertThat(f.sender()).isEqualTo("joe-list-owner@mail.example.com");
            assertThat(f.recipients()).containsExactly("a@example.net", "b@example.org");
        });

        fx.forwarded.clear();
        fx.file(fx.home, ".qmail-list-owner-default", "&joe@example.net\n");
        deliver("joe-list@mail.example.com");
        assertThat(fx.forwarded).extracting(LocalFixture.Forwarded::sender, f -> f.recipients().get(0))
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("joe-list-owner-a=example.net@mail.example.com", "a@example.net"),
                        org.assertj.core.groups.Tuple.tuple("joe-list-owner-b=example.org@mail.example.com", "b@example.org"));

        fx.forwarded.clear();
        fx.deliver("", "joe-list@mail.example.com", crlf(MESSAGE));
        assertThat(fx.forwarded).allMatch(f -> f.sender().isEmpty()); // a bounce stays a bounce
    }

    @Test
    void withoutDotQmailTheDefaultDeliveryApplies() {
        fx.defaultDelivery("&fallback@example.net\n");
        assertThat(deliver("joe@mail.example.com")).isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(fx.forwarded).extracting(f -> f.recipients().get(0)).containsExactly("fallback@example.net");
    }
}
