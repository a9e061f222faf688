package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.AdminCurl;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.TestConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint of a real daemon, reached with curl: the token guards everything but the
 * probes, the token file is the owner's alone, and /metrics is Prometheus text whose counters
 * move as mail flows.
 */
class AdminEndpointIT {
    /** {@code name{labels} value} of the Prometheus text format 0.0.4. */
    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( [0-9]+)?");

    @TempDir
    Path dir;

    @Test
    void everyPathButTheProbesNeedsTheToken() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
            Path token = paths.confDir().resolve("admin.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
                    .isEqualTo("rw-------");
            assertThat(admin.anonymous("GET", "/health").status()).isEqualTo(200);
            assertThat(admin.anonymous("GET", "/ready").status()).isEqualTo(200);
            for (String get : new String[] {"/metrics", "/stat", "/queue"}) {
                assertThat(admin.anonymous("GET", get).status()).as(get).isEqualTo(401);
            }
            for (String post : new String[] {"/pause", "/cont", "/doqueue", "/reload", "/stop"}) {
                assertThat(admin.anonymous("POST", post).status()).as(post).isEqualTo(401);
            }
            assertThat(admin.get("/stat").status()).isEqualTo(200);
            assertThat(admin.get("/stat").body()).contains("\"pid\":" + qflux.pid());
            // A refused /stop did not stop anything.
            assertThat(qflux.isAlive()).isTrue();
            qflux.stop();
        }
    }

    @Test
    void metricsAreOpenWhenAdminopenSaysSo() {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port).control("adminopen", "/health", "/ready", "/metrics");
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
            assertThat(admin.anonymous("GET", "/metrics").status()).isEqualTo(200);
            assertThat(admin.anonymous("GET", "/stat").status()).isEqualTo(401);
            qflux.stop();
        }
    }

    @Test
    void countersMoveAsMailFlows() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
            Map<String, Double> before = scrape(admin);
            assertThat(before.get("qflux_messages_accepted_total")).isEqualTo(0.0);
            assertThat(before).containsKeys("jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"}",
                    "process_uptime_seconds", "qflux_queue_messages", "qflux_smtp_sessions");
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                c.expectReply(220);
                c.expect(250, "EHLO client.test");
                for (int i = 0; i < 3; i++) {
                    assertThat(c.sendMail("a@client.test", "b@" + TestConf.ME,
                            "Subject: " + i + "\r\n\r\nbody " + i + "\r\n").code()).isEqualTo(250);
                }
                Map<String, Double> during = scrape(admin);
                assertThat(during.get("qflux_smtp_sessions")).isEqualTo(1.0);
            }
            Map<String, Double> after = scrape(admin);
            assertThat(after.get("qflux_messages_accepted_total")).isEqualTo(3.0);
            assertThat(after.get("qflux_bytes_accepted_total")).isGreaterThan(30.0);
            assertThat(after.get("qflux_queue_messages")).isEqualTo(3.0);
            assertThat(after.get("qflux_smtp_sessions_started_total"))
                    .isGreaterThan(before.get("qflux_smtp_sessions_started_total"));
            assertThat(after.get("qflux_spool_flushes_total")).isBetween(1.0, 3.0);
            assertThat(after.get("qflux_smtp_commands_total{reply=\"2xx\",verb=\"MAIL\"}")).isEqualTo(3.0);
            assertThat(after.get("qflux_smtp_commands_total{reply=\"3xx\",verb=\"DATA\"}")).isEqualTo(3.0);
            qflux.stop();
        }
    }

    @Test
    void aHeldDestinationKeepsItsMailUntilReleased() throws Exception {
        int port = FreePort.pick();
        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            TestConf conf = TestConf.in(dir.resolve("relay")).listen(port).control("concurrencyremote", "20")
                    .control("smtproutes", ":127.0.0.1:" + sink.port());
            TestConf.Paths paths = conf.write();
            try (QfluxProcess qflux = QfluxProcess.start(paths)) {
                qflux.awaitListening(port);
                AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
                String destination = "127.0.0.1:" + sink.port();
                assertThat(admin.post("/destination/" + destination + "/hold").status()).isEqualTo(200);
                try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                    c.expectReply(220);
                    c.expect(250, "EHLO client.test");
                    for (int i = 0; i < 2; i++) {
                        assertThat(c.sendMail("a@client.test", "b@remote.test", "Subject: held\r\n\r\nx\r\n")
                                .code()).isEqualTo(250);
                    }
                }
                // Both jobs wait in the held destination's lane instead of starting.
                qflux.awaitCondition(Duration.ofSeconds(60),
                        () -> admin.get("/stat").body().contains("\"deliveriesPending\":2"), "jobs never waited");
                assertThat(sink.dumps()).isEmpty();
                assertThat(admin.post("/queue/999999/flush").status()).isEqualTo(404);

                assertThat(admin.post("/destination/" + destination + "/release").status()).isEqualTo(200);
                sink.awaitDumps(2, Duration.ofSeconds(120));
                qflux.awaitCondition(Duration.ofSeconds(120), () -> qflux.qstat() == 0, "queue never emptied");
                Map<String, Double> metrics = scrape(admin);
                assertThat(metrics.get("qflux_deliveries_total{channel=\"remote\",outcome=\"delivered\"}"))
                        .isEqualTo(2.0);
                assertThat(metrics.get("qflux_delivery_duration_seconds_count{channel=\"remote\"}")).isEqualTo(1.0 + 1.0);
                qflux.stop();
            }
        }
    }

    /** Scrapes /metrics and parses every sample line; a line that is not a sample or comment fails. */
    static Map<String, Double> scrape(AdminCurl admin) {
        AdminCurl.Answer a = admin.get("/metrics");
        assertThat(a.status()).isEqualTo(200);
        Map<String, Double> samples = new HashMap<>();
        for (String line : a.body().split("\n")) {
            if (line.isEmpty() || line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("not a Prometheus sample: %s", line).isTrue();
            String key = m.group(1) + (m.group(2) == null ? "" : m.group(2));
            samples.put(key, Double.parseDouble(m.group(3).replace("+Inf", "Infinity")
                    .replace("-Inf", "-Infinity")));
        }
        return samples;
    }
}
