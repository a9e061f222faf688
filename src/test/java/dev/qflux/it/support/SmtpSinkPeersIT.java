package dev.qflux.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness's clients against Postfix's smtp-sink, a server whose behaviour is known: proves the
 * swaks and smtp-source wrappers, the load client's bookkeeping and the sink's dumps before any
 * of them is pointed at qflux.
 */
class SmtpSinkPeersIT {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void swaksTransactionArrivesAtTheSink() throws IOException {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick())) {
            ExternalProcess.Result r = Swaks.against(sink.port())
                    .from("a@client.test").to("b@sink.test")
                    .header("Message-ID", "<swaks.1@harness.test>")
                    .pipeline().run();

            assertThat(r.exitCode()).as(r.describe()).isZero();
            sink.awaitDumps(1, BOUND);
            assertThat(Files.readString(sink.dumps().get(0), StandardCharsets.ISO_8859_1))
                    .contains("<swaks.1@harness.test>");
        }
    }

    @Test
    void smtpSourceSendsEveryMessage() {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick())) {
            ExternalProcess.Result r = SmtpSource.against(sink.port())
                    .sessions(4).messages(40).bodyBytes(1000).to("b@sink.test").run();

            assertThat(r.exitCode()).as(r.describe()).isZero();
            sink.awaitDumps(40, BOUND);
            assertThat(sink.dumps()).hasSize(40);
        }
    }

    @Test
    void loadClientAcknowledgesWhatTheSinkReceived() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick())) {
            RecordingLoadClient load = new RecordingLoadClient(sink.port(), 4, 10,
                    "a@client.test", "b@sink.test").start();
            load.awaitFinished(BOUND);

            assertThat(load.sessionEnds()).containsOnly("finished");
            assertThat(load.acknowledged()).hasSize(40).isEqualTo(load.dotSent());
            sink.awaitDumps(40, BOUND);
            List<String> dumps = new ArrayList<>();
            for (Path p : sink.dumps()) {
                dumps.add(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
            String id = RecordingLoadClient.messageId(7, 2);
            assertThat(dumps).filteredOn(d -> d.contains("Message-ID: " + id)).singleElement()
                    .satisfies(d -> assertThat(d).contains(RecordingLoadClient.endMarker(id)));
        }
    }
}
