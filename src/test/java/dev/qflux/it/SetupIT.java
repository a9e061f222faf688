package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.Swaks;
import dev.qflux.it.support.TestConf;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator's first start, with the packaged jar: {@code qflux setup} writes a conf that
 * showctl and cdb pass, {@code qflux start} runs on it and takes mail for the host it was set up
 * for, logging JSON lines with ISO 8601 timestamps once control/logformat and logtimestamp say so.
 */
class SetupIT {
    private static final String HOST = "mail.setup.test";
    private static final Duration VERB_BOUND = Duration.ofSeconds(120);

    @TempDir
    Path dir;

    private static ExternalProcess.Result qflux(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-jar", QfluxProcess.jar().toString()));
        cmd.addAll(List.of(args));
        return ExternalProcess.run(VERB_BOUND, cmd);
    }

    @Test
    void setupThenStartAcceptsMailForTheHost() throws Exception {
        int port = FreePort.pick();
        Path conf = dir.resolve("conf");

        ExternalProcess.Result setup = qflux("setup", HOST, "--dir", conf.toString(),
                "--address", "127.0.0.1", "--port", Integer.toString(port));
        assertThat(setup.exitCode()).as(setup.describe()).isZero();
        assertThat(qflux("setup", HOST, "--dir", conf.toString()).exitCode()).as("second setup").isEqualTo(1);

        ExternalProcess.Result showctl = qflux("showctl", "--conf", conf.toString());
        assertThat(showctl.exitCode()).as(showctl.describe()).isZero();
        assertThat(showctl.stdout()).containsPattern("(?m)^me +" + HOST.replace(".", "\\.") + "  \\(");
        ExternalProcess.Result cdb = qflux("cdb", "--conf", conf.toString());
        assertThat(cdb.exitCode()).as(cdb.describe()).isZero();
        assertThat(cdb.stdout()).contains("tcp.smtp: 3 rules");

        Files.writeString(conf.resolve("control/logformat"), "json\n");
        Files.writeString(conf.resolve("control/logtimestamp"), "iso8601\n");
        // setup leaves queuedir at its default: var/queue beside conf/.
        TestConf.Paths paths = new TestConf.Paths(dir, conf, dir.resolve("var/queue"), dir.resolve("logs"));
        ExternalProcess.Result sent;
        String log;
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            sent = Swaks.against(port).from("someone@elsewhere.test").to("postmaster@" + HOST).run();
            assertThat(qflux.qstat()).as(qflux.log()).isEqualTo(1);
            qflux.awaitCondition(QfluxProcess.START_BOUND, () -> qflux.stdout().contains("\"event\":\"info\""),
                    "never logged the message");
            qflux.stop();
            log = qflux.stdout();
        }

        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        List<String> lines = log.lines().toList();
        assertThat(lines).isNotEmpty().allSatisfy(line ->
                assertThat(line).matches("\\{\"ts\":\"\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z\",\"event\":.*\\}"));
        assertThat(pythonReads(lines)).contains("info someone@elsewhere.test", "status listening on 127.0.0.1:" + port + " smtp");
    }

    /**
     * The conf setup writes relays for 127.0.0.1: with a smarthost in control/smtproutes, as
     * docs/operations.md shows, a message to another domain reaches it (here smtp-sink).
     */
    @Test
    void setupThenSmtproutesRelaysToTheSmarthost() throws Exception {
        int port = FreePort.pick();
        Path conf = dir.resolve("conf");
        ExternalProcess.Result setup = qflux("setup", HOST, "--dir", conf.toString(),
                "--address", "127.0.0.1", "--port", Integer.toString(port));
        assertThat(setup.exitCode()).as(setup.describe()).isZero();

        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            Files.writeString(conf.resolve("control/smtproutes"), ":127.0.0.1:" + sink.port() + "\n");
            // Not the default admin port 2526: another daemon on this machine may hold it.
            Files.writeString(conf.resolve("control/adminlisten"), "127.0.0.1:" + FreePort.pick() + "\n");
            TestConf.Paths paths = new TestConf.Paths(dir, conf, dir.resolve("var/queue"), dir.resolve("logs"));
            try (QfluxProcess qflux = QfluxProcess.start(paths)) {
                qflux.awaitListening(port);
                ExternalProcess.Result sent = Swaks.against(port).from("someone@" + HOST)
                        .to("friend@remote.test").header("Message-Id", "<relayed.1@setup.test>").run();
                assertThat(sent.exitCode()).as(sent.describe()).isZero();
                sink.awaitDumps(1, VERB_BOUND);
                qflux.awaitCondition(VERB_BOUND, () -> qflux.qstat() == 0, "the relayed message stayed queued");
                qflux.stop();
            }
            assertThat(sink.dumps()).singleElement().satisfies(dump ->
                    assertThat(Files.readString(dump, StandardCharsets.ISO_8859_1))
                            .contains("Message-Id: <relayed.1@setup.test>"));
        }
    }

    /** Python's json module reads every line; prints "event from" for info lines, "event text" otherwise. */
    private List<String> pythonReads(List<String> lines) throws Exception {
        Path file = dir.resolve("log.json");
        Files.write(file, lines, StandardCharsets.UTF_8);
        ExternalProcess.Result r = ExternalProcess.run(VERB_BOUND, List.of("python3", "-c",
                "import json,sys\n"
                        + "for line in open(sys.argv[1], encoding='utf-8'):\n"
                        + "    o = json.loads(line)\n"
                        + "    print(o['event'], o.get('from', o.get('text', '')))\n", file.toString()));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        return r.stdout().lines().toList();
    }
}
