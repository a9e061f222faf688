package dev.qflux.spool;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** qmail-qread's and qmail-qstat's output, byte for byte. */
class QueueReportTest {
    private static final QueueEntry PLAIN = new QueueEntry(12345, Instant.parse("2024-01-05T03:04:05.678Z").toEpochMilli(),
            731, "alice@example.com", List.of("bob@remote.example", "carol@Local.Example", "dave"), 1, 44);
    private static final QueueEntry BOUNCE = new QueueEntry(12346, Instant.parse("2025-11-25T14:30:00Z").toEpochMilli(),
            0, "", List.of("j\u00fcrgen@remote.example", "tab\there@remote.example"), 2, 99);

    @Test
    void qreadPrintsQmailsLayout() {
        String report = QueueReport.qread(List.of(PLAIN, BOUNCE),
                domain -> domain.equalsIgnoreCase("local.example") || domain.isEmpty());
        assertThat(report).isEqualTo(""
                + "5 Jan 2024 03:04:05 GMT  #12345  731  <alice@example.com> \n"
                + "\tlocal\tcarol@Local.Example\n"
                + "\tlocal\tdave\n"
                + "\tremote\tbob@remote.example\n"
                + "25 Nov 2025 14:30:00 GMT  #12346  0  <> \n"
                + "\tremote\tj__rgen@remote.example\n"
                + "\tremote\ttab_here@remote.example\n");
    }

    @Test
    void qreadMarksFinishedRecipientsDoneAsQmailQreadDoes() {
        BitSet done = new BitSet();
        done.set(0);
        done.set(2);
        String report = QueueReport.qread(List.of(PLAIN.withDone(done)),
                domain -> domain.equalsIgnoreCase("local.example") || domain.isEmpty());
        assertThat(report).isEqualTo(""
                + "5 Jan 2024 03:04:05 GMT  #12345  731  <alice@example.com> \n"
                + "\tlocal\tcarol@Local.Example\n"
                + "  done\tlocal\tdave\n"
                + "  done\tremote\tbob@remote.example\n");
    }

    @Test
    void qreadOfAnEmptyQueueIsEmpty() {
        assertThat(QueueReport.qread(List.of(), domain -> true)).isEmpty();
    }

    @Test
    void qstatCountsMessages() {
        assertThat(QueueReport.qstat(List.of(PLAIN, BOUNCE)))
                .isEqualTo("messages in queue: 2\nmessages in queue but not yet preprocessed: 0\n");
        assertThat(QueueReport.qstat(List.of()))
                .isEqualTo("messages in queue: 0\nmessages in queue but not yet preprocessed: 0\n");
    }
}
