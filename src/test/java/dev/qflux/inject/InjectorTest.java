package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InjectorTest {
    @TempDir
    Path tmp;
    InjectFixture fx;

    @BeforeEach
    void setUp() {
        fx = new InjectFixture(tmp);
    }

    @Test
    void messageForArgumentsLandsInTheMaildrop() throws Exception {
        InjectFixture.Run run = fx.run("Subject: hello\n\nbody\n", "ann@example.org", "bob");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(fx.dropped()).hasSize(1);
        MaildropFile.Contents c = InjectFixture.decode(fx.dropped().get(0));
        assertThat(c.envelope().sender()).isEqualTo("joe@example.com");
        assertThat(c.envelope().recipients()).containsExactly("ann@example.org", "bob@example.com");
        assertThat(c.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(InjectFixture.text(c)).contains("From: joe@example.com\r\n").contains("Subject: hello\r\n")
                .endsWith("\r\nbody\r\n");
        assertThat(Files.getAttribute(MaildropLayout.dir(fx.queue, MaildropLayout.NEW), "unix:mode"))
                .isEqualTo(040000 | MaildropLayout.DROP_MODE);
        assertThat(Files.list(MaildropLayout.dir(fx.queue, MaildropLayout.TMP))).isEmpty();
    }

    @Test
    void environmentNamesTheUserAsQmailInjectReadsIt() {
        fx.env.put("QMAILUSER", "root");
        fx.env.put("QMAILHOST", "box.example.net");
        fx.env.put("QMAILNAME", "Charlie Root");
        assertThat(fx.run("\nx\n", "a@example.org").exit()).isZero();
        MaildropFile.Contents c = InjectFixture.decode(fx.dropped().get(0));
        assertThat(InjectFixture.text(c)).contains("From: \"Charlie Root\" <root@box.example.net>\r\n");
        assertThat(c.envelope().sender()).isEqualTo("root@box.example.net");
    }

    @Test
    void controlFilesCompleteAddressesAndMessageIds() {
        fx.control("defaulthost", "box").control("defaultdomain", "example.net").control("idhost", "ids.example.net");
        assertThat(fx.run("\nx\n", "ann").exit()).isZero();
        MaildropFile.Contents c = InjectFixture.decode(fx.dropped().get(0));
        assertThat(c.envelope().recipients()).containsExactly("ann@box.example.net");
        assertThat(InjectFixture.text(c)).containsPattern("Message-ID: <\\d{14}\\.\\d+\\.1\\.qflux@ids\\.example\\.net>\r\n");
    }

    @Test
    void loneDotEndsInputWithoutDashI() {
        assertThat(fx.run("Subject: s\n\nbefore\n.\nafter\n", "a@example.org").exit()).isZero();
        assertThat(InjectFixture.text(InjectFixture.decode(fx.dropped().get(0)))).endsWith("before\r\n")
                .doesNotContain("after");
    }

    @Test
    void withDashIALoneDotIsContent() {
        assertThat(fx.run("Subject: s\n\nbefore\n.\n..\nafter\n", "-i", "a@example.org").exit()).isZero();
        assertThat(InjectFixture.text(InjectFixture.decode(fx.dropped().get(0)))).endsWith("before\r\n.\r\n..\r\nafter\r\n");
    }

    @Test
    void dashTTakesRecipientsFromTheHeader() {
        assertThat(fx.run("To: ann@example.org\nBcc: secret@example.org\n\nx\n", "-t", "-oi").exit()).isZero();
        MaildropFile.Contents c = InjectFixture.decode(fx.dropped().get(0));
        assertThat(c.envelope().recipients()).containsExactly("ann@example.org", "secret@example.org");
        assertThat(InjectFixture.text(c)).doesNotContain("secret");
    }

    @Test
    void noRecipientsExits67() {
        InjectFixture.Run run = fx.run("To: ann@example.org\n\nx\n");
        assertThat(run.exit()).isEqualTo(67);
        assertThat(run.err()).startsWith("qflux-inject: fatal: no recipients");
        assertThat(fx.dropped()).isEmpty();
    }

    @Test
    void badAddressExits67() {
        InjectFixture.Run run = fx.run("\nx\n", "ann@exa mple.org");
        assertThat(run.exit()).isEqualTo(67);
        assertThat(run.err()).contains("bad recipient address: ann@exa mple.org");
        assertThat(fx.run("\nx\n", "-f", "a b@c.d", "ann@example.org").err()).contains("bad sender address");
    }

    @Test
    void unknownFlagExits64WithUsage() {
        InjectFixture.Run run = fx.run("\nx\n", "-Z", "a@example.org");
        assertThat(run.exit()).isEqualTo(64);
        assertThat(run.err()).contains("unknown option -Z").contains("usage:");
    }

    @Test
    void malformedHeaderExits65() {
        InjectFixture.Run run = fx.run("From: Joe Bloggs joe@example.org\n\nx\n", "a@example.org");
        assertThat(run.exit()).isEqualTo(65);
        assertThat(run.err()).contains("unable to parse this header field");
        assertThat(fx.dropped()).isEmpty();
    }

    @Test
    void overLongLineExits65() {
        InjectFixture.Run run = fx.run("\n" + "y".repeat(2000) + "\n", "a@example.org");
        assertThat(run.exit()).isEqualTo(65);
        assertThat(run.err()).contains("line 2 is longer than 998 octets");
    }

    @Test
    void databytesBoundsTheMessage() {
        fx.control("databytes", "100");
        InjectFixture.Run run = fx.run("\n" + "z".repeat(80) + "\n" + "z".repeat(80) + "\n", "a@example.org");
        assertThat(run.exit()).isEqualTo(65);
        assertThat(run.err()).contains("larger than 100 bytes");
    }

    @Test
    void brokenConfigurationExits78() {
        fx.control("databytes", "lots");
        InjectFixture.Run run = fx.run("\nx\n", "a@example.org");
        assertThat(run.exit()).isEqualTo(78);
        assertThat(run.err()).contains("databytes");
    }

    @Test
    void unwritableQueueExits73() throws Exception {
        Path file = tmp.resolve("not-a-dir");
        Files.writeString(file, "x");
        fx.control("queuedir", file.toString());
        InjectFixture.Run run = fx.run("\nx\n", "a@example.org");
        assertThat(run.exit()).isEqualTo(73);
        assertThat(run.err()).contains("cannot create the maildrop");
    }

    @Test
    void smtpOnStdinAndStdout() {
        String dialogue = "EHLO client\r\nMAIL FROM:<app@example.org>\r\nRCPT TO:<ann@example.org>\r\nRCPT TO:<root>\r\n"
                + "DATA\r\nSubject: via -bs\r\n\r\n..leading dot\r\n.\r\nQUIT\r\n";
        InjectFixture.Run run = fx.run(dialogue, "-bs");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("220 mail.example.com ESMTP qflux\r\n250-mail.example.com\r\n250-PIPELINING\r\n")
                .contains("\r\n250 2.1.5 ok\r\n250 2.1.5 ok\r\n354 go ahead\r\n250 2.0.0 ok ")
                .endsWith("221 2.0.0 mail.example.com\r\n");
        MaildropFile.Contents c = InjectFixture.decode(fx.dropped().get(0));
        assertThat(c.envelope().sender()).isEqualTo("app@example.org");
        assertThat(c.envelope().recipients()).containsExactly("ann@example.org", "root@example.com");
        assertThat(InjectFixture.text(c)).contains("Subject: via -bs\r\n").endsWith("\r\n.leading dot\r\n");
    }

    @Test
    void smtpRefusesOutOfOrderCommandsAndBadPaths() {
        String dialogue = "HELO c\nRCPT TO:<a@example.org>\nDATA\nMAIL FROM:<a b>\nMAIL FROM:<>\nDATA\nBDAT 1\nQUIT\n";
        InjectFixture.Run run = fx.run(dialogue, "-bs");
        assertThat(run.out().split("\r\n")).containsExactly("220 mail.example.com ESMTP qflux", "250 mail.example.com",
                "503 5.5.1 MAIL first", "503 5.5.1 MAIL first", "501 5.1.7 bad sender address syntax", "250 2.0.0 ok",
                "503 5.5.1 RCPT first", "502 5.5.1 unimplemented", "221 2.0.0 mail.example.com");
        assertThat(fx.dropped()).isEmpty();
    }

    @Test
    void smtpMessagesOneAfterAnother() {
        String one = "MAIL FROM:<>\nRCPT TO:<a@example.org>\nDATA\nSubject: 1\n\nx\n.\n";
        String two = "MAIL FROM:<b@example.org>\nRCPT TO:<c@example.org>\nDATA\nSubject: 2\n\ny\n.\nQUIT\n";
        InjectFixture.Run run = fx.run(one + two, "-bs");
        assertThat(run.exit()).isZero();
        assertThat(fx.dropped()).hasSize(2);
        assertThat(fx.dropped().stream().map(InjectFixture::decode).map(c -> c.envelope().sender()))
                .containsExactlyInAnyOrder("", "b@example.org");
    }
}
