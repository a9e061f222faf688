package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.SmtpSource;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * qflux as a relay: client -> qflux -> a real receiver (Postfix's smtp-sink, or a second qflux),
 * routed by smtproutes. Every message arrives once, byte-identical but for the Received lines,
 * and a permanent refusal comes back to the sender as a bounce.
 */
class RelayIT {
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void everyMessageReachesTheSinkOnceAndLeavesTheQueue() throws Exception {
        int port = FreePort.pick();
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            TestConf.Paths conf = relay(dir.resolve("relay"), port, ":127.0.0.1:" + sink.port());
            try (QfluxProcess qflux = QfluxProcess.start(conf)) {
                qflux.awaitListening(port);
                ExternalProcess.Result sent = SmtpSource.against(port).sessions(10).messages(300)
                        .bodyBytes(4096).to("someone@remote.test").run();
                assertThat(sent.exitCode()).as(sent.describe()).isZero();
                qflux.awaitCondition(BOUND, () -> qflux.qstat() == 0, "queue never emptied");
                sink.awaitDumps(300, BOUND);
                assertThat(sink.dumps()).as(qflux.log()).hasSize(300);
                assertThat(qflux.log()).contains("starting delivery 1: msg ", "delivery 1: success: ",
                        "end msg ");
                qflux.stop();
            }
        }
    }

    @Test
    void messageArrivesByteIdenticalAtASecondQflux() throws Exception {
        int portA = FreePort.pick();
        int portB = FreePort.pick();
        TestConf.Paths confB = TestConf.in(dir.resolve("b")).listen(portB)
                .rcptHosts("remote.test").locals("remote.test").write();
        TestConf.Paths confA = relay(dir.resolve("a"), portA, "remote.test:127.0.0.1:" + portB);
        String original = "Message-ID: <relay.1@client.test>\r\nSubject: dots and 8 bits\r\n"
                + "X-Long: " + "y".repeat(900) + "\r\n\r\n.leading dot\r\n..two dots\r\n.\r\n"
                + "caf\u00e9 \u00fcber\r\nlast line\r\n";
        try (QfluxProcess b = QfluxProcess.start(confB); QfluxProcess a = QfluxProcess.start(confA)) {
            b.awaitListening(portB);
            a.awaitListening(portA);
            try (RawSmtpClient c = RawSmtpClient.connect(portA)) {
                c.expectReply(220);
                c.expect(250, "EHLO client.test");
                assertThat(c.sendMail("sender@client.test", "rcpt@remote.test", original).code())
                        .isEqualTo(250);
            }
            b.awaitCondition(BOUND, () -> b.qstat() == 1, "message never reached the second qflux");
            a.awaitCondition(BOUND, () -> a.qstat() == 0, "relay never emptied its queue");
            a.stop();
            b.stop();
        }
        SpooledMessage m = SpoolInspector.byMessageId(SpoolInspector.scan(confB.queueDir()),
                "<relay.1@client.test>");
        assertThat(m.sender()).isEqualTo("sender@client.test");
        assertThat(m.recipients()).containsExactly("rcpt@remote.test");
        String stored = m.bodyText();
        // B's Received line, then A's, then the client's message exactly.
        int second = stored.indexOf("\r\nReceived: ") + 2;
        int afterA = stored.indexOf("\r\n", stored.indexOf("\r\n", second) + 2) + 2;
        assertThat(stored).startsWith("Received: from ");
        assertThat(stored.substring(second)).startsWith("Received: from ");
        assertThat(stored.substring(afterA)).isEqualTo(original);
    }

    @Test
    void permanentRefusalBouncesToTheSender() throws Exception {
        int port = FreePort.pick();
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick(), "-f", "RCPT")) {
            TestConf.Paths conf = relay(dir.resolve("relay"), port, ":127.0.0.1:" + sink.port());
            try (QfluxProcess qflux = QfluxProcess.start(conf)) {
                qflux.awaitListening(port);
                try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                    c.expectReply(220);
                    c.expect(250, "EHLO client.test");
                    assertThat(c.sendMail("alice@" + TestConf.ME, "nobody@remote.test",
                            "Message-ID: <refused.1@client.test>\r\nSubject: refused\r\n\r\nhi\r\n")
                            .code()).isEqualTo(250);
                }
                // The original goes; its bounce to the (local, held) sender stays queued.
                qflux.awaitCondition(BOUND, () -> qflux.log().contains("end msg 1"), "never finished msg 1");
                assertThat(qflux.log()).contains("delivery 1: failure: ", "bounce msg 1 qp 2");
                assertThat(qflux.qread()).contains("#2").contains("<> ").contains("alice@" + TestConf.ME);
                qflux.stop();
            }
        }
        SpooledMessage bounce = SpoolInspector.scan(conf(dir.resolve("relay")).queueDir()).get(0);
        assertThat(bounce.sender()).isEmpty();
        assertThat(bounce.bodyText()).contains("multipart/report", "report-type=delivery-status",
                "Final-Recipient: rfc822; nobody@remote.test", "Action: failed",
                "Subject: refused");
    }

    /** A relay that sends every non-local recipient per the given smtproutes line. */
    private static TestConf.Paths relay(Path root, int port, String smtproute) {
        return TestConf.in(root).listen(port).control("concurrencyremote", "20")
                .control("smtproutes", smtproute).write();
    }

    private static TestConf.Paths conf(Path root) {
        return new TestConf.Paths(root, root.resolve("conf"), root.resolve("queue"), root.resolve("logs"));
    }
}
