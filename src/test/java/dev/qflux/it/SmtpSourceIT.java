package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.SmtpSource;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Postfix's smtp-source pushes 2000 messages of 4 KB over 20 parallel sessions, a new connection
 * per message: every one is accepted (smtp-source exits 0 only then) and the queue holds exactly
 * 2000, no more and no fewer.
 */
class SmtpSourceIT {
    private static final int SESSIONS = 20;
    private static final int MESSAGES = 2000;
    private static final int BODY_BYTES = 4096;
    private static final Duration SEND_BOUND = Duration.ofMinutes(10);

    @TempDir
    Path dir;

    @Test
    void everyMessageOfTheLoadIsQueuedOnce() {
        int port = FreePort.pick();
        TestConf.Paths conf = TestConf.in(dir).listen(port).write();

        ExternalProcess.Result sent;
        int queued;
        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            sent = SmtpSource.against(port).sessions(SESSIONS).messages(MESSAGES)
                    .bodyBytes(BODY_BYTES).from("source@client.test").to("load@" + TestConf.ME)
                    .uniqueRecipients().within(SEND_BOUND).run();
            queued = qflux.qstat();
            qflux.stop();
        }

        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        assertThat(queued).isEqualTo(MESSAGES);
        List<SpooledMessage> spool = SpoolInspector.scan(conf.queueDir());
        assertThat(spool).hasSize(MESSAGES);
        assertThat(spool).allSatisfy(m -> {
            assertThat(m.sender()).isEqualTo("source@client.test");
            assertThat(m.recipients()).singleElement().asString().endsWith("load@" + TestConf.ME);
            assertThat(m.body().length).isGreaterThan(BODY_BYTES);
        });
        assertThat(spool.stream().map(SpooledMessage::recipients).distinct())
                .as("-N gives every message its own recipient").hasSize(MESSAGES);
    }
}
