package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.AdminCurl;
import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.TestConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's verbs run from the packaged jar against a real daemon relaying to smtp-sink:
 * pause holds mail that keeps arriving, cont lets it go, reload keeps the old configuration when
 * a file is bad, stop ends the daemon with status 0, and every verb's exit code says what
 * happened.
 */
class AdminVerbsIT {
    private static final Duration BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    @Test
    void pauseHoldsMailUntilCont() throws Exception {
        int port = FreePort.pick();
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            TestConf conf = relay(port, sink.port());
            TestConf.Paths paths = conf.write();
            try (QfluxProcess qflux = QfluxProcess.start(paths)) {
                qflux.awaitListening(port);
                AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
                send(port, 2);
                sink.awaitDumps(2, BOUND);

                ExternalProcess.Result paused = qflux.run("pause");
                assertThat(paused.exitCode()).as(paused.describe()).isZero();
                assertThat(admin.anonymous("GET", "/ready").status()).isEqualTo(503);
                send(port, 5);
                assertThat(qflux.run("doqueue").exitCode()).isZero();
                ExternalProcess.Result queue = qflux.run("queue");
                assertThat(queue.exitCode()).isZero();
                assertThat(queue.stdout()).contains("messages in queue: 5").contains("someone@remote.test");
                assertThat(sink.dumps()).hasSize(2);
                assertThat(qflux.run("stat").stdout()).contains("paused (deliveries)");

                ExternalProcess.Result cont = qflux.run("cont");
                assertThat(cont.exitCode()).as(cont.describe()).isZero();
                sink.awaitDumps(7, BOUND);
                qflux.awaitCondition(BOUND, () -> qflux.qstat() == 0, "queue never emptied after cont");
                assertThat(admin.anonymous("GET", "/ready").status()).isEqualTo(200);
                assertThat(qflux.log()).contains("status: paused deliveries", "status: continuing",
                        "status: retrying every queued message now");

                ExternalProcess.Result top = qflux.run("top", "--once");
                assertThat(top.exitCode()).as(top.describe()).isZero();
                assertThat(top.stdout()).contains("up (pid " + qflux.pid() + ")", "accepted",
                        "(7 total)", "DESTINATION");
                qflux.stop();
            }
        }
    }

    @Test
    void pauseSmtpRefusesMailWith451UntilCont() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            assertThat(qflux.run("pause", "--smtp").exitCode()).isZero();
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                c.expectReply(220);
                c.expect(250, "EHLO client.test");
                RawSmtpClient.Reply refused = c.command("MAIL FROM:<a@client.test>");
                assertThat(refused.code()).isEqualTo(451);
                assertThat(refused.text()).contains("4.3.2");
                assertThat(qflux.run("cont").exitCode()).isZero();
                c.expect(250, "MAIL FROM:<a@client.test>");
            }
            assertThat(qflux.run("stat").stdout()).doesNotContain("paused");
            qflux.stop();
        }
    }

    @Test
    void reloadKeepsTheOldConfigurationWhenAFileIsBad() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        Path databytes = paths.confDir().resolve("control/databytes");
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            Files.writeString(databytes, "lots\n");
            ExternalProcess.Result bad = qflux.run("reload");
            assertThat(bad.exitCode()).as(bad.describe()).isEqualTo(1);
            assertThat(bad.stderr()).contains("old configuration kept", databytes + ":1", "not a number");
            assertThat(ehlo(port)).contains("S: 250-SIZE\n");

            Files.writeString(databytes, "100000\n");
            ExternalProcess.Result good = qflux.run("reload");
            assertThat(good.exitCode()).as(good.describe()).isZero();
            assertThat(ehlo(port)).contains("SIZE 100000");
            qflux.stop();
        }
    }

    @Test
    void stopEndsTheDaemonAndTheExitCodesSaySo() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            ExternalProcess.Result stat = qflux.run("stat");
            assertThat(stat.exitCode()).as(stat.describe()).isZero();
            assertThat(stat.stdout()).containsPattern("^up \\(pid " + qflux.pid() + "\\) \\d+ seconds\n")
                    .contains("listening on 127.0.0.1:" + port + " smtp",
                            "listening on 127.0.0.1:" + conf.adminPort() + " admin");

            ExternalProcess.Result stop = qflux.run("stop");
            assertThat(stop.exitCode()).as(stop.describe()).isZero();
            assertThat(stop.stdout()).contains("stopped");
            assertThat(qflux.awaitExit(QfluxProcess.STOP_BOUND)).isZero();
            assertThat(qflux.log()).contains("status: exiting");
        }
        ExternalProcess.Result down = QfluxProcess.run(paths.confDir(), "stat");
        assertThat(down.exitCode()).isEqualTo(3);
        assertThat(down.stdout()).isEqualTo("down\n");
        assertThat(QfluxProcess.run(paths.confDir(), "pause").exitCode()).isEqualTo(3);
        assertThat(QfluxProcess.run(paths.confDir(), "stop").exitCode()).isZero();

        Files.writeString(paths.confDir().resolve("control/adminlisten"), "localhost\n");
        ExternalProcess.Result badConf = QfluxProcess.run(paths.confDir(), "stat");
        assertThat(badConf.exitCode()).isEqualTo(78);
        assertThat(badConf.stderr()).contains("adminlisten:1");
    }

    @Test
    void restartStartsANewDaemon() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        Path log = dir.resolve("restarted.log");
        long newPid = -1;
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            ExternalProcess.Result restart = qflux.run("restart", "--log", log.toString());
            assertThat(restart.exitCode()).as(restart.describe()).isZero();
            assertThat(qflux.awaitExit(QfluxProcess.STOP_BOUND)).isZero();
            String stat = QfluxProcess.run(paths.confDir(), "stat").stdout();
            assertThat(stat).startsWith("up (pid ").doesNotContain("pid " + qflux.pid() + ")");
            newPid = Long.parseLong(stat.substring("up (pid ".length(), stat.indexOf(')')));
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                c.expectReply(220);
            }
            assertThat(QfluxProcess.run(paths.confDir(), "stop").exitCode()).isZero();
            assertThat(Files.readString(log)).contains("status: exiting");
        } finally {
            if (newPid > 0) {
                ProcessHandle.of(newPid).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    private TestConf relay(int port, int sinkPort) {
        return TestConf.in(dir.resolve("relay")).listen(port).control("concurrencyremote", "20")
                .control("smtproutes", ":127.0.0.1:" + sinkPort);
    }

    private static void send(int port, int messages) throws Exception {
        try (RawSmtpClient c = RawSmtpClient.connect(port)) {
            c.expectReply(220);
            c.expect(250, "EHLO client.test");
            for (int i = 0; i < messages; i++) {
                assertThat(c.sendMail("sender@client.test", "someone@remote.test",
                        "Subject: " + i + "\r\n\r\nhello\r\n").code()).isEqualTo(250);
            }
        }
    }

    private static String ehlo(int port) throws Exception {
        try (RawSmtpClient c = RawSmtpClient.connect(port)) {
            c.expectReply(220);
            c.expect(250, "EHLO client.test");
            return c.transcript();
        }
    }
}
