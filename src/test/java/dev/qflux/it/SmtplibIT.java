package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import dev.qflux.it.support.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python's smtplib, a real client library, sends an internationalised message (RFC 6531 SMTPUTF8,
 * RFC 6152 8BITMIME): a UTF-8 recipient local part, UTF-8 headers and an 8-bit body with a line
 * that starts with a dot. The spool must hold exactly the bytes smtplib handed to DATA, with
 * qflux's Received line in front.
 */
class SmtplibIT {
    private static final String RECIPIENT = "jörg@" + TestConf.ME;
    private static final Duration RUN_BOUND = Duration.ofSeconds(120);

    /** Records the bytes smtplib passes to DATA (before its dot-stuffing) into argv[2]. */
    private static final String CLIENT = """
            import smtplib, sys
            from email import policy
            from email.message import EmailMessage

            port, record = int(sys.argv[1]), sys.argv[2]

            class RecordingSMTP(smtplib.SMTP):
                def data(self, msg):
                    with open(record, 'wb') as f:
                        f.write(msg if msg.endswith(b'\\r\\n') else msg + b'\\r\\n')
                    return super().data(msg)

            msg = EmailMessage(policy=policy.SMTPUTF8)
            msg['From'] = 'Zoë <zoe@client.test>'
            msg['To'] = '%s'
            msg['Subject'] = 'Grüße aus Köln'
            msg['Message-ID'] = '<utf8.1@smtplib.test>'
            msg.set_content('Grüße, Jörg!\\n.Ein Punkt am Zeilenanfang.\\nÄÖÜ äöü ß €\\n',
                            charset='utf-8', cte='8bit')
            with RecordingSMTP('127.0.0.1', port, local_hostname='smtplib.client.test', timeout=60) as s:
                s.ehlo()
                for ext in ('smtputf8', '8bitmime'):
                    if not s.has_extn(ext):
                        sys.exit('server does not advertise ' + ext)
                refused = s.send_message(msg, from_addr='zoe@client.test', to_addrs=['%s'],
                                         mail_options=['SMTPUTF8', 'BODY=8BITMIME'])
                if refused:
                    sys.exit('refused: %%r' %% refused)
            print('sent')
            """.formatted(RECIPIENT, RECIPIENT);

    @TempDir
    Path dir;

    @Test
    void utf8MessageIsSpooledByteForByte() throws Exception {
        String python = Tools.require("python3");
        int port = FreePort.pick();
        TestConf.Paths conf = TestConf.in(dir).listen(port).write();
        Path script = dir.resolve("send_utf8.py");
        Path recorded = dir.resolve("sent.eml");
        Files.writeString(script, CLIENT);

        ExternalProcess.Result sent;
        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            sent = ExternalProcess.run(RUN_BOUND,
                    List.of(python, script.toString(), Integer.toString(port), recorded.toString()));
            qflux.stop();
        }

        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        byte[] expected = Files.readAllBytes(recorded);
        assertThat(new String(expected, java.nio.charset.StandardCharsets.UTF_8))
                .as("the client really sent 8-bit UTF-8").contains("Grüße aus Köln", "ß €");
        SpooledMessage m = SpoolInspector.byMessageId(SpoolInspector.scan(conf.queueDir()),
                "<utf8.1@smtplib.test>");
        assertThat(m.sender()).isEqualTo("zoe@client.test");
        assertThat(m.recipients()).containsExactly(RECIPIENT);
        assertThat(m.firstHeaderField()).startsWith("Received: from ")
                .contains("(127.0.0.1)", "by " + TestConf.ME);
        assertThat(m.bodyAfterFirstHeader()).as("spooled body after the Received line")
                .isEqualTo(expected);
    }
}
