package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.Swaks;
import dev.qflux.it.support.TestConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * swaks, a real scripted client, against qflux: a plain and a pipelined transaction are accepted
 * and spooled with their envelope; relaying for a client without RELAYCLIENT is refused with 553
 * and queues nothing (invariant 8, qmail-smtpd's rcpthosts check).
 */
class SwaksIT {
    @TempDir
    Path dir;

    @Test
    void plainMessageIsSpooledWithItsEnvelope() throws Exception {
        int port = FreePort.pick();
        TestConf.Paths conf = TestConf.in(dir).listen(port).write();
        Path data = dir.resolve("plain.eml");
        Files.writeString(data, "Message-ID: <plain.1@swaks.test>\nSubject: plain\n\nhello qflux\n");

        ExternalProcess.Result sent;
        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            sent = Swaks.against(port).from("alice@client.test").to("bob@" + TestConf.ME)
                    .data(data).run();
            assertThat(qflux.qstat()).as(qflux.log()).isEqualTo(1);
            qflux.stop();
        }

        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        assertThat(sent.stdout()).contains("<-  250 2.0.0");
        SpooledMessage m = SpoolInspector.byMessageId(SpoolInspector.scan(conf.queueDir()),
                "<plain.1@swaks.test>");
        assertThat(m.sender()).isEqualTo("alice@client.test");
        assertThat(m.recipients()).containsExactly("bob@" + TestConf.ME);
        assertThat(m.firstHeaderField()).startsWith("Received: from ").contains("(127.0.0.1)");
        // swaks ends DATA with CRLF "." CRLF after the file, so the body gains one empty line.
        assertThat(m.bodyText()).contains("\r\nSubject: plain\r\n\r\nhello qflux\r\n");
    }

    @Test
    void pipelinedTransactionIsAccepted() {
        int port = FreePort.pick();
        TestConf.Paths conf = TestConf.in(dir).listen(port).write();

        ExternalProcess.Result sent;
        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            sent = Swaks.against(port).pipeline().from("carol@client.test")
                    .to("dave@" + TestConf.ME).header("Message-Id", "<pipelined.1@swaks.test>").run();
            qflux.stop();
        }

        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        assertThat(sent.stdout()).as("EHLO must advertise PIPELINING").contains("250-PIPELINING");
        SpooledMessage m = SpoolInspector.byMessageId(SpoolInspector.scan(conf.queueDir()),
                "<pipelined.1@swaks.test>");
        assertThat(m.sender()).isEqualTo("carol@client.test");
        assertThat(m.recipients()).containsExactly("dave@" + TestConf.ME);
    }

    @Test
    void relayWithoutRelayClientIsRefusedAndNothingIsQueued() {
        int port = FreePort.pick();
        // Everyone may connect, nobody gets RELAYCLIENT.
        TestConf.Paths conf = TestConf.in(dir).listen(port).tcpRules("127.:allow", ":allow").write();

        ExternalProcess.Result sent;
        int queued;
        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            sent = Swaks.against(port).from("mallory@client.test").to("victim@outside.example")
                    .header("Message-Id", "<relay.1@swaks.test>").run();
            queued = qflux.qstat();
            qflux.stop();
        }

        assertThat(sent.exitCode()).as(sent.describe()).isEqualTo(Swaks.EXIT_RCPT_REFUSED);
        assertThat(sent.output()).as(sent.describe()).contains("<** 553 5.7.1");
        assertThat(queued).isZero();
        List<SpooledMessage> spool = SpoolInspector.scan(conf.queueDir());
        assertThat(spool).isEmpty();
    }
}
