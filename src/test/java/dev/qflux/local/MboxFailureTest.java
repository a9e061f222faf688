package dev.qflux.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed mbox append leaves the mailbox as it was: on a full disk (a 64 KiB tmpfs, as root). */
class MboxFailureTest {
    @TempDir
    Path temp;
    Path disk;

    @BeforeEach
    void mountSmallDisk() throws Exception {
        disk = Files.createDirectories(temp.resolve("disk"));
        run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", disk.toString());
    }

    @AfterEach
    void unmount() throws Exception {
        run("umount", disk.toString());
    }

    @Test
    void diskFullTruncatesBackToTheOldSize() throws Exception {
        Path mbox = disk.resolve("Mailbox");
        MessageImage small = new MessageImage("Subject: first\r\n\r\nfits\r\n".getBytes());
        MboxWriter.append(mbox, small.forMbox("From a@b Wed Nov 25 15:55:43 2026\n", "", ""));
        byte[] before = Files.readAllBytes(mbox);

        MessageImage big = new MessageImage(("Subject: big\r\n\r\n" + "x".repeat(200_000) + "\r\n").getBytes());
        assertThatThrownBy(() -> MboxWriter.append(mbox, big.forMbox("From a@b Wed Nov 25 15:55:43 2026\n", "", "")))
                .isInstanceOf(MailboxException.class)
                .hasMessageContaining("Unable to write " + mbox);

        assertThat(Files.readAllBytes(mbox)).isEqualTo(before);
        assertThat(Files.exists(disk.resolve("Mailbox.lock"))).isFalse();
        assertThat(LocalFixture.readWithPython("mbox", mbox)).containsExactly("Subject: first\n\nfits\n");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
