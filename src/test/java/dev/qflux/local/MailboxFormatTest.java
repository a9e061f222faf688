package dev.qflux.local;

import static dev.qflux.local.LocalFixture.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/** Maildir and mbox as qflux writes them, read back by Python's mailbox module. */
class MailboxFormatTest {
    static final String MESSAGE = """
            Received: from client by mail.example.com
            From: Ann <ann@example.org>
            Subject: formats

            From the start, a line mbox must quote.
            >From an already quoted line, which mboxrd quotes once more.
            From
            Fromage is not quoted.
            .
            last line
            """;

    @TempDir
    Path temp;
    LocalFixture fx;

    @BeforeEach
    void setUp() {
        fx = new LocalFixture(temp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void maildirMessageReadsBackWhole() {
        fx.assignExact("joe", fx.home, "").maildir(fx.home.resolve("Maildir"));
        fx.file(fx.home, ".qmail", "./Maildir/\n");

        RecipientOutcome outcome = fx.deliver("ann@example.org", "joe@mail.example.com", crlf(MESSAGE));

        assertThat(outcome).isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(outcome.text()).isEqualTo("did 1+0+0/");
        assertThat(LocalFixture.readWithPython("maildir", fx.home.resolve("Maildir"))).containsExactly(
                "Return-Path: <ann@example.org>\nDelivered-To: joe@mail.example.com\n" + MESSAGE);
    }

    @Test
    void mboxMessageReadsBackWholeAndFromQuotingRoundTrips() throws Exception {
        fx.assignExact("joe", fx.home, "");
        fx.file(fx.home, ".qmail", "./Mailbox\n");

        assertThat(fx.deliver("ann@example.org", "joe@mail.example.com", crlf(MESSAGE)))
                .isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(fx.deliver("", "joe@mail.example.com", crlf(MESSAGE)))
                .isInstanceOf(RecipientOutcome.Delivered.class);

        List<String> read = LocalFixture.readWithPython("mbox", fx.home.resolve("Mailbox"));
        assertThat(read).hasSize(2);
        assertThat(unquoteMboxrd(read.get(0)))
                .isEqualTo("Return-Path: <ann@example.org>\nDelivered-To: joe@mail.example.com\n" + MESSAGE);
        assertThat(read.get(0)).contains("\n>From the start").contains("\n>>From an already").contains("\nFromage");
        assertThat(unquoteMboxrd(read.get(1))).startsWith("Return-Path: <>\n");
        String raw = Files.readString(fx.home.resolve("Mailbox"));
        assertThat(raw).startsWith("From ann@example.org ").contains("\nFrom MAILER-DAEMON ");
        assertThat(Files.getAttribute(fx.home.resolve("Mailbox"), "unix:uid")).isEqualTo(LocalFixture.NOBODY);
        assertThat(Files.exists(fx.home.resolve("Mailbox.lock"))).isFalse();
    }

    @Test
    void parallelDeliveriesToOneMboxNeverInterleave() {
        fx.concurrency(8).assignExact("joe", fx.home, "");
        fx.file(fx.home, ".qmail", "./Mailbox\n");
        int count = 24;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            StringBuilder b = new StringBuilder("Subject: message " + i + "\n\n");
            for (int line = 0; line < 2000; line++) {
                b.append("message ").append(i).append(" line ").append(line).append('\n');
            }
            bodies.add(b.toString());
        }

        List<RecipientOutcome> outcomes = Flux.fromIterable(bodies)
                .flatMap(body -> fx.deliverAsync("ann@example.org", "joe@mail.example.com", crlf(body)), count)
                .collectList().block(LocalFixture.WAIT.multipliedBy(4));

        assertThat(outcomes).hasSize(count).allMatch(o -> o instanceof RecipientOutcome.Delivered);
        List<String> read = LocalFixture.readWithPython("mbox", fx.home.resolve("Mailbox"));
        Set<String> expected = bodies.stream()
                .map(b -> "Return-Path: <ann@example.org>\nDelivered-To: joe@mail.example.com\n" + b)
                .collect(Collectors.toSet());
        assertThat(read).hasSize(count);
        assertThat(Set.copyOf(read)).isEqualTo(expected);
    }

    @Test
    void inProcessWritersDoNotInterleaveEither() throws Exception {
        // The same writer code as the per-user child, used directly when qflux is the mailbox's owner.
        Path mbox = temp.resolve("own.mbox");
        MessageImage image = new MessageImage(crlf(MESSAGE).getBytes());
        IntStream.range(0, 40).parallel().forEach(i -> {
            try {
                MboxWriter.append(mbox, image.forMbox("From x@y Wed Nov 25 15:55:43 2026\n", "", "X-N: " + i + "\n"));
            } catch (MailboxException e) {
                throw new IllegalStateException(e);
            }
        });
        List<String> read = LocalFixture.readWithPython("mbox", mbox);
        assertThat(read).hasSize(40).allMatch(m -> unquoteMboxrd(m).endsWith(MESSAGE));
        assertThat(read.stream().map(m -> m.substring(0, m.indexOf('\n'))).collect(Collectors.toSet()))
                .hasSize(40);
    }

    /** What a mboxrd reader does: one {@code >} removed from every {@code >+From } line. */
    static String unquoteMboxrd(String s) {
        return s.replaceAll("(?m)^>(>*From )", "$1");
    }
}
