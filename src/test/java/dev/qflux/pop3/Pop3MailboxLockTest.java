package dev.qflux.pop3;

import static dev.qflux.pop3.Pop3Fixture.PASSWORD;
import static dev.qflux.pop3.Pop3Fixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One session per mailbox (RFC 1939 section 4), and deletions only after QUIT (section 6). */
class Pop3MailboxLockTest {
    @TempDir
    Path dir;
    Pop3Fixture pop;

    @BeforeEach
    void start() throws Exception {
        pop = Pop3Fixture.start(dir);
        for (int i = 1; i <= 3; i++) {
            Path f = pop.maildir.resolve("new/" + i + ".M" + i + ".host");
            Files.writeString(f, "Subject: " + i + "\n\nbody " + i + "\n", StandardCharsets.UTF_8);
            Files.setLastModifiedTime(f, FileTime.from(Instant.ofEpochSecond(i)));
        }
    }

    @AfterEach
    void stop() {
        pop.close();
    }

    private static String login(RawPop3Client c) throws Exception {
        c.line();
        c.send("USER " + USER);
        return c.send("PASS " + PASSWORD);
    }

    @Test
    void aSecondSessionIsRefusedAndTheFirstGoesOnUnharmed() throws Exception {
        try (RawPop3Client first = new RawPop3Client(pop.plain())) {
            assertThat(login(first)).isEqualTo("+OK 3 messages (66 octets)");
            assertThat(first.send("DELE 2")).startsWith("+OK");
            try (RawPop3Client second = new RawPop3Client(pop.plain())) {
                assertThat(login(second)).isEqualTo("-ERR [IN-USE] mailbox locked");
                assertThat(second.send("STAT")).as("still not logged in").isEqualTo("-ERR authorization first");
                assertThat(second.send("QUIT")).isEqualTo("+OK bye");
            }
            assertThat(first.send("RETR 3")).isEqualTo("+OK 22 octets");
            assertThat(new String(first.body(), StandardCharsets.UTF_8))
                    .isEqualTo("Subject: 3\r\n\r\nbody 3\r\n.\r\n");
            assertThat(first.send("STAT")).isEqualTo("+OK 2 44");
            assertThat(first.send("QUIT")).isEqualTo("+OK 1 messages deleted");
        }
        assertThat(pop.messageFiles()).containsExactly("1.M1.host:2,", "3.M3.host:2,");
        try (RawPop3Client third = new RawPop3Client(pop.plain())) {
            assertThat(login(third)).as("the lock went with QUIT").isEqualTo("+OK 2 messages (44 octets)");
        }
        pop.awaitLog("pop3 login user alice from 127.0.0.1: mailbox in use");
    }

    @Test
    void anAbortedSessionDeletesNothingAndLetsTheLockGo() throws Exception {
        List<String> uidls;
        try (RawPop3Client c = new RawPop3Client(pop.plain())) {
            assertThat(login(c)).startsWith("+OK 3 messages");
            c.send("UIDL");
            uidls = c.lines();
            for (int i = 1; i <= 3; i++) {
                assertThat(c.send("DELE " + i)).startsWith("+OK");
            }
            // the connection drops here, without QUIT
        }
        pop.awaitLog("deleted 0 (no QUIT: nothing deleted)");
        assertThat(pop.messageFiles()).hasSize(3);
        try (RawPop3Client c = new RawPop3Client(pop.plain())) {
            assertThat(login(c)).isEqualTo("+OK 3 messages (66 octets)");
            c.send("UIDL");
            assertThat(c.lines()).isEqualTo(uidls).containsExactly("1 1.M1.host", "2 2.M2.host", "3 3.M3.host");
            c.send("QUIT");
        }
    }

    @Test
    void theLockHoldsAgainstAnotherProcess() throws Exception {
        try (RawPop3Client first = new RawPop3Client(pop.plain())) {
            login(first);
            // flock(1)-style check from outside the JVM: python's fcntl.lockf on the same file
            var r = dev.qflux.it.support.ExternalProcess.run(java.time.Duration.ofSeconds(30), List.of(
                    dev.qflux.it.support.Tools.require("python3"), "-c",
                    "import fcntl,sys\nf=open(sys.argv[1],'a')\n"
                            + "try:\n fcntl.lockf(f, fcntl.LOCK_EX|fcntl.LOCK_NB); print('got')\n"
                            + "except OSError: print('busy')",
                    pop.maildir.resolve(MaildropLock.LOCK_FILE).toString()));
            assertThat(r.stdout().strip()).as(r.describe()).isEqualTo("busy");
            first.send("QUIT");
        }
    }
}
