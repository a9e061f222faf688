package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Mailboxes;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.Swaks;
import dev.qflux.it.support.TestConf;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole way through one daemon: mail arrives over SMTP, local delivery writes it to the
 * user's Maildir (as the user), and the user fetches it over qflux's POP3 with a password set by
 * {@code qflux passwd}: Python's poplib lists, retrieves and deletes, curl reads UIDL; the
 * deletion holds after QUIT and nothing is left for a second session.
 */
class Pop3DeliveredIT {
    private static final int NOBODY = Mailboxes.NOBODY;
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String PASSWORD = "pop-secret-42";

    @TempDir
    Path dir;

    @Test
    void mailDeliveredByQfluxIsFetchedAndDeletedOverPop3() throws Exception {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("needs root to act as nobody")
                .isEqualTo(0);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path home = Files.createDirectories(dir.resolve("home/alice"));
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(home.resolve("Maildir").resolve(sub));
        }
        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.toList()) {
                Files.setAttribute(p, "unix:uid", NOBODY, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(p, "unix:gid", NOBODY, LinkOption.NOFOLLOW_LINKS);
            }
        }

        int smtpPort = FreePort.pick();
        int pop3Port = FreePort.pick();
        TestConf.Paths paths = TestConf.in(dir.resolve("qflux")).withoutAliasDefault()
                .control("concurrencylocal", "4")
                .control("defaultdelivery", "./Maildir/")
                .listen(smtpPort)
                .control("listen", "127.0.0.1:" + smtpPort + " smtp", "127.0.0.1:" + pop3Port + " pop3")
                .write();
        Files.createDirectories(paths.confDir().resolve("users"));
        Files.writeString(paths.confDir().resolve("users/assign"),
                "=alice:alice:" + NOBODY + ":" + NOBODY + ":" + home + ":::\n.\n");
        ExternalProcess.Result passwd = ExternalProcess.run(BOUND, List.of("/bin/sh", "-c",
                "printf '%s\\n' \"$0\" | \"$1\" -jar \"$2\" passwd --conf \"$3\" --stdin --home \"$4\" alice",
                PASSWORD, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                QfluxProcess.jar().toString(), paths.confDir().toString(), home.toString()));
        assertThat(passwd.exitCode()).as(passwd.describe()).isZero();

        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(smtpPort); // SMTP binds before POP3: wait for POP3's log line
            qflux.awaitCondition(BOUND, () -> qflux.log().contains(":" + pop3Port + " pop3"), "POP3 listening");
            for (int i = 1; i <= 2; i++) {
                ExternalProcess.Result sent = Swaks.against(smtpPort).from("carol@client.test")
                        .to("alice@" + TestConf.ME).header("Subject", "pop me " + i).run();
                assertThat(sent.exitCode()).as(sent.describe()).isZero();
            }
            qflux.awaitCondition(BOUND, () -> qflux.qstat() == 0 && Mailboxes.files(home.resolve("Maildir/new")) == 2,
                    "both messages delivered to alice's Maildir");

            ExternalProcess.Result uidl = ExternalProcess.run(BOUND, List.of("curl", "-s", "-S",
                    "--user", "alice:" + PASSWORD, "-X", "UIDL", "pop3://127.0.0.1:" + pop3Port + "/"));
            assertThat(uidl.exitCode()).as(uidl.describe()).isZero();
            assertThat(uidl.stdout().lines().filter(l -> !l.isBlank())).hasSize(2);

            String script = String.join("\n",
                    "import poplib, sys",
                    "p = poplib.POP3('127.0.0.1', int(sys.argv[1]))",
                    "p.user('alice'); p.pass_(sys.argv[2])",
                    "n = len(p.list()[1])",
                    "subjects = []",
                    "for i in range(1, n + 1):",
                    "    lines = p.retr(i)[1]",
                    "    subjects += [l.decode() for l in lines if l.startswith(b'Subject:')]",
                    "    p.dele(i)",
                    "p.quit()",
                    "q = poplib.POP3('127.0.0.1', int(sys.argv[1]))",
                    "q.user('alice'); q.pass_(sys.argv[2])",
                    "print(n, len(q.list()[1]))",
                    "print('\\n'.join(sorted(subjects)))",
                    "q.quit()");
            ExternalProcess.Result fetched = ExternalProcess.run(BOUND,
                    List.of("python3", "-c", script, Integer.toString(pop3Port), PASSWORD));
            assertThat(fetched.exitCode()).as(fetched.describe()).isZero();
            assertThat(fetched.stdout().lines().toList())
                    .containsExactly("2 0", "Subject: pop me 1", "Subject: pop me 2");
            assertThat(qflux.log()).contains("pop3 login user alice").doesNotContain(PASSWORD);
            qflux.stop();
        }
        assertThat(Mailboxes.files(home.resolve("Maildir/new")) + Mailboxes.files(home.resolve("Maildir/cur"))).isZero();
    }

}
