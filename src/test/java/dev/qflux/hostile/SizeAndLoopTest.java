package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.smtp.server.LimitCounters.Limit;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages past databytes (announced or not, DATA or BDAT) and mail loops (databytes 100000). */
class SizeAndLoopTest {
    @TempDir
    static Path dir;
    static HostileServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HostileServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void dataPastDatabytesWithoutSizeIsReadToTheEndAndRefused() throws Exception {
        int before = server.queued().size();
        long hits = server.hits(Limit.DATABYTES);
        try (Wire c = server.connect(STRANGER)) {
            FramingTest.toData(c);
            String line = "a".repeat(98) + "\r\n";
            c.raw("Subject: big\r\n\r\n" + line.repeat(1001));
            assertThat(c.command(".")).isEqualTo("552 5.3.4 sorry, that message size exceeds my databytes limit");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        assertThat(server.queued()).hasSize(before);
        assertThat(server.hits(Limit.DATABYTES)).isEqualTo(hits + 1);
        server.stillServes();
    }

    /** Found by fuzzing: past the memory budget first, the size was no longer checked (452, not 552). */
    @Test
    void pastTheMemoryBudgetAndDatabytesGetsThePermanentRefusal(@TempDir Path own) throws Exception {
        try (HostileServer small = HostileServer.start(own, java.util.Map.of("control/receivebytes", "1000"));
             Wire c = small.connect(STRANGER)) {
            FramingTest.toData(c);
            String line = "m".repeat(98) + "\r\n";
            c.raw("Subject: big\r\n\r\n" + line.repeat(1500));
            assertThat(c.command(".")).isEqualTo("552 5.3.4 sorry, that message size exceeds my databytes limit");
            FramingTest.toData(c);
            c.raw("Subject: not so big\r\n\r\n" + line.repeat(20));
            assertThat(c.command(".")).isEqualTo("452 4.3.1 insufficient system storage, try later");
            assertThat(small.hits(Limit.RECEIVEBYTES)).isEqualTo(1);
            assertThat(small.queued()).isEmpty();
        }
    }

    @Test
    void bdatPastDatabytesRefusesTheChunkAndTheRestOfTheTransaction() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO big.example", "250");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            String chunk = ("b".repeat(998) + "\r\n").repeat(60);
            c.raw("BDAT " + chunk.length() + "\r\n" + chunk);
            assertThat(c.reply()).isEqualTo("250 2.0.0 60000 octets received");
            c.raw("BDAT " + chunk.length() + "\r\n" + chunk);
            assertThat(c.reply()).isEqualTo("552 5.3.4 sorry, that message size exceeds my databytes limit");
            c.raw("BDAT 2 LAST\r\n\r\n");
            assertThat(c.reply()).isEqualTo("503 5.5.1 BDAT transaction already failed; send RSET");
            c.expect("RSET", "250 2.0.0 flushed");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void ahundredTraceLinesIsALoopAndNinetyNineIsNot() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            FramingTest.toData(c);
            String hops = "Received: from a by b\r\n".repeat(50) + "Delivered-To: c@localhost\r\n".repeat(50);
            assertThat(c.command(hops + "\r\nlooping\r\n."))
                    .isEqualTo("554 5.4.6 too many hops, this message is looping");
            FramingTest.toData(c);
            String fewer = "received: from a by b\r\n".repeat(99);
            assertThat(c.command(fewer + "\r\nfine\r\n.")).startsWith("250 2.0.0 ok ");
            FramingTest.toData(c);
            // Only the header counts: trace lines in the body are content.
            String body = "\r\n" + "Received: from a by b\r\n".repeat(150);
            assertThat(c.command("Subject: quoted\r\n" + body + ".")).startsWith("250 2.0.0 ok ");
        }
        assertThat(server.queued()).hasSize(before + 2);
        server.stillServes();
    }
}
