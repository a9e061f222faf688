package dev.qflux.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.LogConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** control/logformat and control/logtimestamp, checked through a real LogSink; JSON read back by Python. */
class LogFormatTest {
    /** A known instant: 1795622404 s after 1970 UTC, plus 123456789 ns. */
    static final Instant AT = Instant.parse("2026-11-25T16:00:04.123456789Z");

    /**
     * Every kind of line qflux writes today, as its producer writes it, and the JSON object (keys
     * sorted, as Python re-prints it) each must become.
     */
    static final Map<String, String> LINES = new LinkedHashMap<>();

    static {
        LINES.put("new msg 42", "{\"event\":\"new\",\"msg\":42}");
        LINES.put("info msg 42: bytes 1234 from <a@example.com> qp 7 uid 0",
                "{\"bytes\":1234,\"event\":\"info\",\"from\":\"a@example.com\",\"msg\":42,\"qp\":7,\"uid\":0}");
        LINES.put("info msg 43: bytes 10 from <> qp 8 uid -1",
                "{\"bytes\":10,\"event\":\"info\",\"from\":\"\",\"msg\":43,\"qp\":8,\"uid\":-1}");
        LINES.put("starting delivery 12: msg 42 to remote b@example.net",
                "{\"channel\":\"remote\",\"d\":12,\"event\":\"starting\",\"msg\":42,\"to\":\"b@example.net\"}");
        LINES.put("delivery 12: success: 192.0.2.1 accepted message./Remote host said: 250 \"ok\"",
                "{\"d\":12,\"event\":\"delivery\",\"result\":\"success\","
                        + "\"text\":\"192.0.2.1 accepted message./Remote host said: 250 \\\"ok\\\"\"}");
        LINES.put("delivery 13: deferral: Connection refused",
                "{\"d\":13,\"event\":\"delivery\",\"result\":\"deferral\",\"text\":\"Connection refused\"}");
        LINES.put("delivery 14: failure: Sorry, no mailbox here by that name. (#5.1.1)",
                "{\"d\":14,\"event\":\"delivery\",\"result\":\"failure\","
                        + "\"text\":\"Sorry, no mailbox here by that name. (#5.1.1)\"}");
        LINES.put("status: local 0/10 remote 3/20",
                "{\"event\":\"status\",\"local\":0,\"localmax\":10,\"remote\":3,\"remotemax\":20}");
        LINES.put("bounce msg 42 qp 44", "{\"event\":\"bounce\",\"msg\":42,\"qp\":44}");
        LINES.put("double bounce: discarding msg 45", "{\"event\":\"discard\",\"kind\":\"double\",\"msg\":45}");
        LINES.put("end msg 42", "{\"event\":\"end\",\"msg\":42}");
        LINES.put("smtpd: end qp 7 from 127.0.0.1 helo client.example accepted 2 errors 0 (quit)",
                "{\"accepted\":2,\"client\":\"127.0.0.1\",\"errors\":0,\"event\":\"smtpd\",\"helo\":\"client.example\","
                        + "\"how\":\"quit\",\"qp\":7}");
        LINES.put("warning: qp 9: queue write failed: No space left on device",
                "{\"event\":\"warning\",\"text\":\"qp 9: queue write failed: No space left on device\"}");
        LINES.put("status: listening on 127.0.0.1:2525 smtp",
                "{\"event\":\"status\",\"text\":\"listening on 127.0.0.1:2525 smtp\"}");
        LINES.put("stats: accept latency p50 0.50 ms p99 1.00 ms p999 2.00 ms over 3 messages",
                "{\"event\":\"stats\",\"text\":\"accept latency p50 0.50 ms p99 1.00 ms p999 2.00 ms over 3 messages\"}");
        LINES.put("something new\twith a tab and \u00e9",
                "{\"event\":\"other\",\"text\":\"something new\\twith a tab and \\u00e9\"}");
    }

    private static List<String> written(LogConfig config, List<String> lines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogSink sink = new LogSink(out, Clock.fixed(AT, ZoneOffset.UTC));
        sink.use(config);
        lines.forEach(sink::log);
        sink.close();
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void qmailFormatWithoutTimestampsIsTheLineAsLogged() {
        List<String> lines = new ArrayList<>(LINES.keySet());
        assertThat(written(LogConfig.DEFAULT, lines)).isEqualTo(lines);
    }

    @Test
    void tai64nIsMultilogsLabel() {
        assertThat(Timestamps.tai64n(Instant.EPOCH)).isEqualTo("@400000000000000a00000000");
        assertThat(written(new LogConfig(LogConfig.Format.QMAIL, LogConfig.Timestamp.TAI64N), List.of("new msg 42")))
                .containsExactly("@400000006b07060e075bcd15 new msg 42");
    }

    @Test
    void iso8601IsUtcWithMilliseconds() {
        assertThat(written(new LogConfig(LogConfig.Format.QMAIL, LogConfig.Timestamp.ISO8601), List.of("end msg 42")))
                .containsExactly("2026-11-25T16:00:04.123Z end msg 42");
    }

    @Test
    void everyEventKindBecomesJsonThatPythonReadsBack() throws Exception {
        List<String> lines = new ArrayList<>(LINES.keySet());
        List<String> json = written(new LogConfig(LogConfig.Format.JSON, LogConfig.Timestamp.NONE), lines);

        assertThat(json).hasSize(lines.size());
        assertThat(python(json)).containsExactlyElementsOf(LINES.values());
    }

    @Test
    void jsonCarriesTheTimestampAsTsAndNoPrefix() throws Exception {
        List<String> tai = written(new LogConfig(LogConfig.Format.JSON, LogConfig.Timestamp.TAI64N), List.of("new msg 1"));
        List<String> iso = written(new LogConfig(LogConfig.Format.JSON, LogConfig.Timestamp.ISO8601), List.of("new msg 1"));

        assertThat(python(tai)).containsExactly("{\"event\":\"new\",\"msg\":1,\"ts\":\"@400000006b07060e075bcd15\"}");
        assertThat(python(iso)).containsExactly("{\"event\":\"new\",\"msg\":1,\"ts\":\"2026-11-25T16:00:04.123Z\"}");
    }

    @Test
    void controlCharactersInAFieldStayInsideTheirJsonString() throws Exception {
        List<String> json = written(new LogConfig(LogConfig.Format.JSON, LogConfig.Timestamp.NONE),
                List.of("warning: a\u0001b\nc\\d\u2028e"));
        assertThat(json).hasSize(1);
        assertThat(python(json)).containsExactly("{\"event\":\"warning\",\"text\":\"a\\u0001b\\nc\\\\d\\u2028e\"}");
    }

    /** Each line parsed by Python's json module and printed back with sorted keys. */
    static List<String> python(List<String> jsonLines) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("python3", "-c",
                "import json,sys\n"
                        + "for line in sys.stdin.buffer.read().decode('utf-8').split('\\n'):\n"
                        + "    if line: print(json.dumps(json.loads(line), sort_keys=True, separators=(',', ':')))\n")
                .redirectErrorStream(true).start();
        try (var in = p.getOutputStream()) {
            in.write((String.join("\n", jsonLines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.lines().toList();
    }
}
