package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.AdminCurl;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a slow client is in the middle of DATA: listeners close, /ready says 503, the
 * client may finish within control/draintimeout and gets 250, or gets 421 4.3.2 after it; the
 * daemon exits 0 and every message it answered 250 is in the spool when it starts again.
 */
class DrainIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void aClientMidDataFinishesWithinTheDeadlineAndItsMessageIsKept() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port).control("draintimeout", "120");
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
            assertThat(admin.anonymous("GET", "/ready").status()).isEqualTo(200);
            try (RawSmtpClient slow = RawSmtpClient.connect(port); RawSmtpClient idle = RawSmtpClient.connect(port)) {
                slow.expectReply(220);
                slow.expect(250, "EHLO slow.test");
                slow.expect(250, "MAIL FROM:<slow@client.test>");
                slow.expect(250, "RCPT TO:<rcpt@" + TestConf.ME + ">");
                slow.expect(354, "DATA");
                slow.send("Message-ID: <drain.1@client.test>");
                slow.send("Subject: slow");
                idle.expectReply(220);
                idle.expect(250, "EHLO idle.test");

                qflux.signalTerm();
                qflux.awaitCondition(BOUND, () -> admin.anonymous("GET", "/ready").status() == 503,
                        "/ready never said 503 while draining");
                assertThat(admin.anonymous("GET", "/health").status()).isEqualTo(200);
                qflux.awaitCondition(BOUND, () -> !FreePort.isListening(port), "still listening while draining");
                // A session between transactions may not start one: 421 and closed.
                RawSmtpClient.Reply refused = idle.command("MAIL FROM:<late@client.test>");
                assertThat(refused.code()).isEqualTo(421);
                assertThat(refused.text()).contains("4.3.2");
                assertThat(idle.isClosedByServer(BOUND)).isTrue();

                slow.send("");
                slow.send("the last line");
                slow.expect(250, ".");
                slow.expect(221, "QUIT");
            }
            assertThat(qflux.awaitExit(QfluxProcess.STOP_BOUND)).as(qflux.log()).isZero();
            assertThat(qflux.log()).contains("status: stopping: ", "status: exiting");
        }
        try (QfluxProcess again = QfluxProcess.start(paths)) {
            again.awaitListening(port);
            assertThat(again.qstat()).isEqualTo(1);
            again.stop();
        }
        List<SpooledMessage> spool = SpoolInspector.scan(paths.queueDir());
        assertThat(SpoolInspector.byMessageId(spool, "<drain.1@client.test>").bodyText())
                .endsWith("Subject: slow\r\n\r\nthe last line\r\n");
    }

    @Test
    void aClientStillInDataAtTheDeadlineGets421AndAcceptedMailIsKept() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port).control("draintimeout", "2");
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                c.expectReply(220);
                c.expect(250, "EHLO slow.test");
                assertThat(c.sendMail("a@client.test", "b@" + TestConf.ME,
                        "Message-ID: <kept.1@client.test>\r\n\r\nkept\r\n").code()).isEqualTo(250);
                c.expect(250, "MAIL FROM:<a@client.test>");
                c.expect(250, "RCPT TO:<b@" + TestConf.ME + ">");
                c.expect(354, "DATA");
                c.send("Message-ID: <cut.1@client.test>");

                qflux.signalTerm();
                RawSmtpClient.Reply cut = c.readReply();
                assertThat(cut.code()).isEqualTo(421);
                assertThat(cut.text()).contains("4.3.2", "shutting down");
                assertThat(c.isClosedByServer(BOUND)).isTrue();
            }
            assertThat(qflux.awaitExit(QfluxProcess.STOP_BOUND)).as(qflux.log()).isZero();
            assertThat(qflux.log()).contains("closing 1 smtp sessions with 421");
        }
        List<SpooledMessage> spool = SpoolInspector.scan(paths.queueDir());
        assertThat(spool).hasSize(1);
        assertThat(spool.get(0).messageId()).contains("<kept.1@client.test>");
    }

    @Test
    void aSecondSigtermStopsWaiting() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port).control("draintimeout", "3600");
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                c.expectReply(220);
                c.expect(250, "EHLO slow.test");
                assertThat(c.sendMail("a@client.test", "b@" + TestConf.ME,
                        "Message-ID: <kept.2@client.test>\r\n\r\nkept\r\n").code()).isEqualTo(250);
                qflux.signalTerm();
                qflux.awaitCondition(BOUND, () -> admin.anonymous("GET", "/ready").status() == 503,
                        "/ready never said 503 while draining");
                qflux.signalTerm();
                assertThat(qflux.awaitExit(QfluxProcess.STOP_BOUND)).as(qflux.log()).isZero();
            }
            assertThat(qflux.log()).contains("stop requested again");
        }
        assertThat(SpoolInspector.scan(paths.queueDir())).hasSize(1);
    }
}
