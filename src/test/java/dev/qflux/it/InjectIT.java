package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.inject.MaildropFile;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Sendmail;
import dev.qflux.it.support.TestConf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A local program injects through the real command while no daemon runs: {@code bin/sendmail -t}
 * with a message on stdin, and {@code qflux inject -bs} with an SMTP dialogue piped in. Each exits
 * 0 only with its message durable in maildrop/new, complete with the fields qmail-inject adds.
 */
class InjectIT {
    @TempDir
    Path dir;

    @Test
    void sendmailAndSmtpOnStdinDropMessagesWhileTheDaemonIsDown() throws Exception {
        TestConf.Paths conf = TestConf.in(dir).listen(FreePort.pick()).control("defaulthost", TestConf.ME).write();

        Sendmail.Result sent = Sendmail.script(conf, "To: ann@example.org\nCc: bob\nBcc: hidden@example.net\n"
                + "Subject: from a script\n\nhello\n.\nnot part of it\n", "-t", "-oem");
        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        List<Path> files = Sendmail.maildropFiles(conf.queueDir());
        assertThat(files).hasSize(1);
        MaildropFile.Contents first = MaildropFile.decode(Files.readAllBytes(files.get(0)));
        assertThat(first.envelope().sender()).isEqualTo("joe@" + TestConf.ME);
        assertThat(first.envelope().recipients())
                .containsExactly("ann@example.org", "bob@" + TestConf.ME, "hidden@example.net");
        assertThat(new String(first.message(), StandardCharsets.UTF_8))
                .contains("From: joe@" + TestConf.ME + "\r\n").contains("Message-ID: <").contains("Date: ")
                .doesNotContain("hidden").endsWith("\r\nhello\r\n");

        Sendmail.Result smtp = Sendmail.jar(conf, "EHLO app\r\nMAIL FROM:<app@example.org>\r\n"
                + "RCPT TO:<carl@example.org>\r\nDATA\r\nSubject: over -bs\r\n\r\nhi\r\n.\r\nQUIT\r\n", "-bs");
        assertThat(smtp.exitCode()).as(smtp.describe()).isZero();
        assertThat(smtp.stdout()).contains("\r\n354 go ahead\r\n250 2.0.0 ok ").endsWith("221 2.0.0 " + TestConf.ME + "\r\n");
        assertThat(Sendmail.maildropFiles(conf.queueDir())).hasSize(2);

        Sendmail.Result unknown = Sendmail.script(conf, "\nx\n", "-Q", "ann@example.org");
        assertThat(unknown.exitCode()).as(unknown.describe()).isEqualTo(64);
        assertThat(unknown.stderr()).contains("unknown option -Q");
        assertThat(Sendmail.maildropFiles(conf.queueDir())).hasSize(2);
    }
}
