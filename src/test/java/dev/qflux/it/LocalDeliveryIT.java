package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Mailboxes;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.Sendmail;
import dev.qflux.it.support.Swaks;
import dev.qflux.it.support.TestConf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local delivery through the real daemon: mail for a local user arrives over SMTP and from
 * {@code bin/sendmail} in the user's Maildir (read back by Python's mailbox module, with qmail's
 * Return-Path and Delivered-To lines), owned by the user, not by root; a .qmail forward queues a
 * copy for another local user; an address no user or alias owns is refused at RCPT (no bounce).
 */
class LocalDeliveryIT {
    /** nobody's uid and gid on Debian: the mailbox owner, so nothing is written as root. */
    private static final int NOBODY = Mailboxes.NOBODY;
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void mailForALocalUserLandsInItsMaildirAsThatUser() throws Exception {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("needs root to act as nobody")
                .isEqualTo(0);
        Path home = Files.createDirectories(dir.resolve("home/alice"));
        Mailboxes.maildir(home.resolve("Maildir"));
        Path bobHome = Files.createDirectories(dir.resolve("home/bob"));
        Mailboxes.maildir(bobHome.resolve("Maildir"));
        // alice-fwd forwards to bob: a .qmail-fwd file in alice's home.
        Files.writeString(home.resolve(".qmail-fwd"), "&bob@" + TestConf.ME + "\n");
        Mailboxes.chownToNobody(dir.resolve("home"));
        chmodWorldTraversable(dir);

        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir.resolve("qflux")).withoutAliasDefault()
                .control("concurrencylocal", "10")
                .control("defaultdelivery", "./Maildir/")
                .control("defaulthost", TestConf.ME);
        TestConf.Paths paths = conf.listen(port).write();
        Files.createDirectories(paths.confDir().resolve("users"));
        Files.writeString(paths.confDir().resolve("users/assign"), String.join("\n",
                "+alice-:alice:" + NOBODY + ":" + NOBODY + ":" + home + ":-::",
                "=alice:alice:" + NOBODY + ":" + NOBODY + ":" + home + ":::",
                "=bob:bob:" + NOBODY + ":" + NOBODY + ":" + bobHome + ":::",
                ".", ""));

        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            ExternalProcess.Result sent = Swaks.against(port).from("carol@client.test").to("alice@" + TestConf.ME)
                    .header("Subject", "local one").run();
            assertThat(sent.exitCode()).as(sent.describe()).isZero();

            ExternalProcess.Result unknown = Swaks.against(port).from("carol@client.test")
                    .to("nosuchuser@" + TestConf.ME).run();
            assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(Swaks.EXIT_RCPT_REFUSED);
            assertThat(unknown.stdout()).contains("550 5.1.1 sorry, no mailbox here by that name");

            ExternalProcess.Result fwd = Swaks.against(port).from("carol@client.test").to("alice-fwd@" + TestConf.ME)
                    .header("Subject", "forward me").run();
            assertThat(fwd.exitCode()).as(fwd.describe()).isZero();

            Sendmail.Result injected = Sendmail.script(paths, "Subject: injected\n\nfrom a script\n",
                    "alice@" + TestConf.ME);
            assertThat(injected.exitCode()).as(injected.describe()).isZero();

            qflux.awaitCondition(BOUND, () -> Mailboxes.files(home.resolve("Maildir/new")) == 2
                    && Mailboxes.files(bobHome.resolve("Maildir/new")) == 1 && qflux.qstat() == 0, "local deliveries");
            qflux.stop();
        }

        List<String> alice = Mailboxes.readMaildir(home.resolve("Maildir"));
        assertThat(alice).hasSize(2);
        assertThat(String.join("\n", alice)).contains("Subject: local one").contains("Delivered-To: alice@"
                + TestConf.ME).contains("Return-Path: <carol@client.test>");
        List<String> bob = Mailboxes.readMaildir(bobHome.resolve("Maildir"));
        assertThat(bob).singleElement().asString().contains("Subject: forward me")
                .contains("Delivered-To: alice-fwd@" + TestConf.ME).contains("Delivered-To: bob@" + TestConf.ME);
        try (Stream<Path> delivered = Files.list(home.resolve("Maildir/new"))) {
            for (Path p : delivered.toList()) {
                assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as("owner of " + p)
                        .isEqualTo(NOBODY);
            }
        }
    }

    /** The user must reach its home: the temp dir is root's and 0700 by default. */
    private static void chmodWorldTraversable(Path d) throws IOException {
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    }

}
