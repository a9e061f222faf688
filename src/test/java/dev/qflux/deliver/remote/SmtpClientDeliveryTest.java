package dev.qflux.deliver.remote;

import static dev.qflux.deliver.remote.DeliveryFixtures.deliver;
import static dev.qflux.deliver.remote.DeliveryFixtures.only;
import static dev.qflux.deliver.remote.DeliveryFixtures.options;
import static dev.qflux.deliver.remote.DeliveryFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome.Deferred;
import dev.qflux.deliver.RecipientOutcome.Delivered;
import dev.qflux.deliver.RecipientOutcome.Failed;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Transactions against a scripted server: the happy path, refusals and what reuse looks like. */
class SmtpClientDeliveryTest {
    private final SmtpClientDelivery delivery = SmtpClientDelivery.create(options(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        delivery.close();
    }

    /** Both sides of the read-once limit: the 8-bit scan and the content agree, byte for byte. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {MailTransaction.READ_ONCE_MAX_BYTES - 100,
            MailTransaction.READ_ONCE_MAX_BYTES + 100})
    void anEightBitMessageIsFlaggedAndSentWholeBelowAndAboveTheReadOnceLimit(int size) throws Exception {
        StringBuilder text = new StringBuilder("Subject: big\r\n\r\n");
        while (text.length() < size - 12) {
            text.append("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n");
        }
        text.setLength(size - 12);
        text.append("\r\nende \u00e4\r\n"); // the only 8-bit byte is near the end
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        AtomicReference<String> mail = new AtomicReference<>();
        AtomicReference<byte[]> content = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("8BITMIME");
            mail.set(peer.expect("MAIL"));
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            content.set(peer.data());
            peer.send("250 ok");
            peer.drain();
        })) {
            RemoteResult result = delivery.deliver(target(server.host("mx")), "sender@client.test",
                    List.of("a@example.test"), bytes.length, DeliveryFixtures.body(bytes)).block(DeliveryFixtures.DELIVERY_BOUND);
            assertThat(only(result)).isInstanceOf(Delivered.class);
            assertThat(mail.get()).isEqualTo("MAIL FROM:<sender@client.test> BODY=8BITMIME");
            // The scripted peer reads lines as UTF-8 and hands them back one char a byte.
            String received = new String(content.get(), StandardCharsets.ISO_8859_1);
            assertThat(received.equals(text.toString()))
                    .as("content as sent: %d chars, %d received", text.length(), received.length()).isTrue();
        }
    }

    @Test
    void pipelinesTheEnvelopeAndReportsEachRecipient() throws Exception {
        AtomicReference<String> content = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("PIPELINING", "SIZE 100000", "8BITMIME");
            // All of the envelope arrives before any reply is sent: one write (RFC 2920).
            peer.expect("MAIL FROM:<sender@client.test> SIZE=");
            peer.expect("RCPT TO:<a@example.test>");
            peer.expect("RCPT TO:<b@example.test>");
            peer.expect("RCPT TO:<c@example.test>");
            peer.expect("DATA");
            peer.send("250 2.1.0 sender ok", "250 2.1.5 ok", "450 4.2.0 mailbox busy",
                    "550-5.1.1 no such user", "550 5.1.1 really", "354 go ahead");
            content.set(new String(peer.data(), StandardCharsets.ISO_8859_1));
            peer.send("250 2.0.0 ok 1234 qp 99");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx.example.test")),
                    List.of("a@example.test", "b@example.test", "c@example.test"), "Subject: t\r\n\r\n.hi\r\n");
            assertThat(result.host()).isEqualTo("mx.example.test [127.0.0.1]");
            assertThat(result.recipients()).containsExactly(
                    new Delivered("127.0.0.1 accepted message./Remote host said: 250 2.0.0 ok 1234 qp 99"),
                    new Deferred("127.0.0.1 does not like recipient./Remote host said: 450 4.2.0 mailbox busy"),
                    new Failed("127.0.0.1 does not like recipient./Remote host said: 550 5.1.1 no such user"
                            + "/550 5.1.1 really"));
            assertThat(content.get()).isEqualTo("Subject: t\r\n\r\n..hi\r\n");
            delivery.close();
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void withoutPipeliningSendsNoDataWhenEveryRecipientIsRefused() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("SIZE");
            String mail = peer.expect("MAIL FROM:<sender@client.test>");
            assertThat(mail).isEqualTo("MAIL FROM:<sender@client.test> SIZE=3"); // no BODY= without 8BITMIME
            peer.send("250 ok");
            peer.expect("RCPT TO:<a@example.test>");
            peer.send("550 no");
            peer.expect("RCPT TO:<b@example.test>");
            peer.send("551 not here");
            peer.expect("RSET");
            peer.send("250 ok");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")),
                    List.of("a@example.test", "b@example.test"), "x\r\n");
            assertThat(result.recipients()).containsExactly(
                    new Failed("127.0.0.1 does not like recipient./Remote host said: 550 no"),
                    new Failed("127.0.0.1 does not like recipient./Remote host said: 551 not here"));
            delivery.close();
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void rejectedSenderFailsOrDefersEveryone() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL FROM:<sender@client.test>");
            peer.send("553 5.7.1 sender denied");
            peer.expect("RSET");
            peer.send("250 ok");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")),
                    List.of("a@example.test", "b@example.test"), "x\r\n");
            Failed failed = new Failed("Connected to 127.0.0.1 but sender was rejected./"
                    + "Remote host said: 553 5.7.1 sender denied");
            assertThat(result.recipients()).containsExactly(failed, failed);
        }
    }

    @Test
    void reusesTheSessionForTheNextMessageWithoutRset() throws Exception {
        ScriptedServer.Script twoTransactions = peer -> {
            peer.hello("PIPELINING");
            for (int i = 0; i < 2; i++) {
                peer.expect("MAIL FROM:");
                peer.expect("RCPT TO:");
                peer.expect("DATA");
                peer.send("250 ok", "250 ok", "354 go");
                peer.data();
                peer.send("250 ok " + i);
            }
            peer.expect("QUIT");
            peer.send("221 bye");
        };
        try (ScriptedServer server = new ScriptedServer(twoTransactions)) {
            RemoteTarget target = target(server.host("mx"));
            RemoteResult first = deliver(delivery, target, List.of("a@example.test"), "one\r\n");
            assertThat(delivery.idleSessions(server.address())).isEqualTo(1);
            RemoteResult second = deliver(delivery, target, List.of("b@example.test"), "two\r\n");
            assertThat(only(first).text()).endsWith("250 ok 0");
            assertThat(only(second)).isEqualTo(new Delivered("127.0.0.1 accepted message./Remote host said: 250 ok 1"));
            delivery.close();
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
            assertThat(server.accepted()).isEqualTo(1);
        }
    }

    @Test
    void fallsBackToHeloWhenEhloIsRefused() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 old.test SMTP");
            peer.expect("EHLO client.test");
            peer.send("502 what?");
            peer.expect("HELO client.test");
            peer.send("250 old.test");
            peer.expect("MAIL FROM:<sender@client.test>");
            peer.send("250 ok");
            peer.expect("RCPT TO:<a@example.test>");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 ok");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isInstanceOf(Delivered.class);
        }
    }

    @Test
    void triesTheNextHostAfterARefusedGreeting() throws Exception {
        try (ScriptedServer bad = new ScriptedServer(peer -> {
            peer.send("554 go away");
            peer.drain();
        }); ScriptedServer good = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 queued");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(bad.host("mx1"), good.host("mx2")),
                    List.of("a@example.test"), "x\r\n");
            assertThat(result.host()).startsWith("mx2 ");
            assertThat(only(result)).isEqualTo(new Delivered("127.0.0.1 accepted message./Remote host said: 250 queued"));
        }
    }

    @Test
    void defersWithTheLastReasonWhenNoHostTakesMail() throws Exception {
        InetSocketAddress closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort());
        }
        try (ScriptedServer bad = new ScriptedServer(peer -> {
            peer.send("554 5.3.2 not today");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery,
                    target(new RemoteTarget.Host("mx1", closedPort), bad.host("mx2")),
                    List.of("a@example.test", "b@example.test"), "x\r\n");
            Deferred expected = new Deferred("Connected to 127.0.0.1 but greeting failed./"
                    + "Remote host said: 554 5.3.2 not today");
            assertThat(result.recipients()).containsExactly(expected, expected);
        }
        RemoteResult refused = deliver(delivery, target(new RemoteTarget.Host("mx1", closedPort)),
                List.of("a@example.test"), "x\r\n");
        assertThat(only(refused)).isInstanceOf(Deferred.class);
        assertThat(only(refused).text()).startsWith("Sorry, I wasn't able to establish an SMTP connection to 127.0.0.1")
                .endsWith("(#4.4.1)");
    }

    @Test
    void refusesBeforeSendingWhenTheMessageExceedsSize() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("SIZE 10");
            peer.expect("QUIT");
            peer.send("221 bye");
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"),
                    "a body of more than ten bytes\r\n");
            assertThat(only(result)).isInstanceOf(Failed.class);
            assertThat(only(result).text()).contains("SIZE limit of 10").contains("552 5.3.4");
            delivery.close();
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void declaresSmtpUtf8AndEightBitOrFailsWithoutSmtpUtf8() throws Exception {
        AtomicReference<String> mail = new AtomicReference<>();
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("8BITMIME", "SMTPUTF8");
            mail.set(peer.expect("MAIL"));
            peer.send("250 ok");
            peer.expect("RCPT TO:<jürgen@example.test>");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 ok");
            peer.drain();
        }, peer -> {
            peer.hello("8BITMIME");
            peer.drain();
        })) {
            RemoteTarget target = target(server.host("mx"));
            RemoteResult result = deliver(delivery, target, List.of("jürgen@example.test"), "Grüße\r\n");
            assertThat(only(result)).isInstanceOf(Delivered.class);
            assertThat(mail.get()).isEqualTo("MAIL FROM:<sender@client.test> BODY=8BITMIME SMTPUTF8");
            delivery.close(); // the next message needs a new session, to the second script
            try (SmtpClientDelivery other = SmtpClientDelivery.create(options(Duration.ofSeconds(30)))) {
                RemoteResult refused = deliver(other, target, List.of("jürgen@example.test"), "x\r\n");
                assertThat(only(refused)).isEqualTo(new Failed("Connected to 127.0.0.1 but it does not support "
                        + "SMTPUTF8, which the addresses need. (#5.6.7)"));
            }
        }
    }

    @Test
    void neverPutsAnAddressThatWouldSplitTheCommandOnTheWire() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("PIPELINING");
            peer.expect("MAIL FROM:<sender@client.test>");
            assertThat(peer.line()).isEqualTo("RCPT TO:<good@example.test>");
            peer.expect("DATA");
            peer.send("250 ok", "250 ok", "354 go");
            peer.data();
            peer.send("250 ok");
            peer.drain();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")),
                    List.of("bad@example.test>\r\nRSET", "good@example.test"), "x\r\n");
            assertThat(result.recipients().get(0)).isInstanceOf(Failed.class);
            assertThat(result.recipients().get(1)).isInstanceOf(Delivered.class);
            delivery.close();
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
        }
    }

    @Test
    void anIdleSessionIsEndedWithQuitAfterTheIdleTime() throws Exception {
        RemoteOptions shortIdle = new RemoteOptions("client.test", Duration.ofSeconds(10), Duration.ofSeconds(30),
                4, Duration.ofMillis(200), true, null);
        try (SmtpClientDelivery quick = SmtpClientDelivery.create(shortIdle);
             ScriptedServer server = new ScriptedServer(peer -> {
                 peer.hello();
                 peer.expect("MAIL");
                 peer.send("250 ok");
                 peer.expect("RCPT");
                 peer.send("250 ok");
                 peer.expect("DATA");
                 peer.send("354 go");
                 peer.data();
                 peer.send("250 ok");
                 peer.expect("QUIT"); // sent by the idle timer, not by close(): the delivery is still open
                 peer.send("221 bye");
             })) {
            RemoteResult result = deliver(quick, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isInstanceOf(Delivered.class);
            server.awaitScripts();
            assertThat(server.errors()).isEmpty();
            assertThat(quick.idleSessions(server.address())).isZero();
        }
    }
}
