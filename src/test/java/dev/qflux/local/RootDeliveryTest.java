package dev.qflux.local;

import static dev.qflux.local.LocalFixture.crlf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qflux.deliver.RecipientOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * qflux running as root (as these tests do): whatever it does in a user's home it does as that
 * user, so files belong to the user and links planted by the user lead nowhere root could write.
 */
class RootDeliveryTest {
    static final String MESSAGE = "Subject: root\n\nbody\n";

    @TempDir
    Path temp;
    LocalFixture fx;

    @BeforeEach
    void setUp() {
        assertThat(UserProcesses.currentUid()).as("these tests need root").isZero();
        fx = new LocalFixture(temp);
        fx.assignExact("joe", fx.home, "");
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private RecipientOutcome deliver() {
        return fx.deliver("ann@example.org", "joe@mail.example.com", crlf(MESSAGE));
    }

    @Test
    void filesBelongToTheUserAndProgramsRunWithTheUsersIds() throws Exception {
        fx.maildir(fx.home.resolve("Maildir"));
        fx.file(fx.home, ".qmail", "./Maildir/\n./Mailbox\n|id -u > uid.out; id -g >> uid.out; id -G >> uid.out\n");

        assertThat(deliver()).isEqualTo(new RecipientOutcome.Delivered("did 2+0+1/"));

        try (Stream<Path> fresh = Files.list(fx.home.resolve("Maildir/new"))) {
            assertThat(fresh).singleElement().satisfies(p -> {
                assertThat(Files.getAttribute(p, "unix:uid")).isEqualTo(LocalFixture.NOBODY);
                assertThat(Files.getAttribute(p, "unix:gid")).isEqualTo(LocalFixture.NOBODY);
                assertThat(Files.getAttribute(p, "unix:mode")).isEqualTo(0100600);
                assertThat(p.getFileName().toString()).matches("\\d+\\.M\\d+P\\d+Q\\d+\\.mail\\.example\\.com");
            });
        }
        assertThat(Files.getAttribute(fx.home.resolve("Mailbox"), "unix:uid")).isEqualTo(LocalFixture.NOBODY);
        assertThat(Files.readAllLines(fx.home.resolve("uid.out"))).containsExactly("65534", "65534", "65534");
        assertThat(Files.getAttribute(fx.home.resolve("uid.out"), "unix:uid")).isEqualTo(LocalFixture.NOBODY);
    }

    @Test
    void maildirSymlinkToARootOwnedMaildirIsNotWritten() throws Exception {
        Path rootMaildir = temp.resolve("root-maildir");
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(rootMaildir.resolve(sub));
        }
        Files.createSymbolicLink(fx.home.resolve("Maildir"), rootMaildir);
        fx.file(fx.home, ".qmail", "./Maildir/\n");

        RecipientOutcome outcome = deliver();

        assertThat(outcome).isInstanceOf(RecipientOutcome.Deferred.class);
        assertThat(outcome.text()).contains("permission denied");
        try (Stream<Path> tmp = Files.list(rootMaildir.resolve("tmp")); Stream<Path> fresh = Files.list(rootMaildir.resolve("new"))) {
            assertThat(Stream.concat(tmp, fresh)).isEmpty();
        }
    }

    @Test
    void mboxSymlinkToARootOwnedFileIsNotWritten() throws Exception {
        Path target = temp.resolve("root-file");
        Files.writeString(target, "root's own\n");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(fx.home.resolve("Mailbox"), target);
        fx.file(fx.home, ".qmail", "./Mailbox\n");

        RecipientOutcome outcome = deliver();

        assertThat(outcome).isInstanceOf(RecipientOutcome.Deferred.class);
        assertThat(outcome.text()).contains("permission denied");
        assertThat(Files.readString(target)).isEqualTo("root's own\n");
    }

    @Test
    void dotQmailSymlinkToARootOnlyFileIsNotReadAsRoot() throws Exception {
        Path secret = temp.resolve("secret");
        Files.writeString(secret, "leaked@example.net\n");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        Files.createSymbolicLink(fx.home.resolve(".qmail"), secret);

        RecipientOutcome outcome = deliver();

        assertThat(outcome).isInstanceOf(RecipientOutcome.Deferred.class);
        assertThat(outcome.text()).startsWith("Unable to read " + fx.home.resolve(".qmail")).contains("Permission denied");
        assertThat(fx.forwarded).isEmpty();
    }

    @Test
    void deliveryMayBeStartedFromAParallelThread() {
        fx.maildir(fx.home.resolve("Maildir"));
        fx.file(fx.home, ".qmail", "./Maildir/\n&bob@example.net\n");
        fx.delivery(); // created at start-up, as the daemon does: creating it reads files
        RecipientOutcome outcome = Mono.defer(() -> fx.deliverAsync("a@example.org", "joe@mail.example.com", crlf(MESSAGE)))
                .subscribeOn(Schedulers.parallel()).block(LocalFixture.WAIT);
        assertThat(outcome).isEqualTo(new RecipientOutcome.Delivered("did 1+1+0/"));
    }

    @Test
    void anOrdinaryUserCannotActAsAnother() {
        UserProcesses asUser = new UserProcesses(temp, 1234);
        assertThatThrownBy(() -> asUser.run(List.of("true"), LocalFixture.NOBODY, LocalFixture.NOBODY, temp, Map.of(),
                new byte[0], Duration.ofSeconds(10), 100))
                .isInstanceOf(UserProcesses.CannotSwitch.class)
                .hasMessage("qflux runs as uid 1234 and cannot act as uid 65534; run it as root or as that user. (#4.3.0)");
    }

    @Test
    void rootIsNeverTheRecipient() {
        fx.assign("=joe:root:0:0:/root:::\n.\n");
        assertThat(deliver()).isInstanceOf(RecipientOutcome.Deferred.class)
                .extracting(RecipientOutcome::text).asString().startsWith("Refusing to deliver as root");
    }
}
