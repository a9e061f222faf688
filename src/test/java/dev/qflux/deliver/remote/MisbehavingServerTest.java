package dev.qflux.deliver.remote;

import static dev.qflux.deliver.remote.DeliveryFixtures.deliver;
import static dev.qflux.deliver.remote.DeliveryFixtures.only;
import static dev.qflux.deliver.remote.DeliveryFixtures.options;
import static dev.qflux.deliver.remote.DeliveryFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome.Deferred;
import dev.qflux.deliver.RecipientOutcome.Delivered;
import dev.qflux.deliver.RecipientOutcome.Failed;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Servers that drop, stall or flood: every case ends in outcomes, never a hang or an exception. */
class MisbehavingServerTest {
    /** Short, so stalls end quickly; nothing here asserts how long anything took. */
    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(1);

    private final SmtpClientDelivery delivery = SmtpClientDelivery.create(options(REPLY_TIMEOUT));

    @AfterEach
    void close() {
        delivery.close();
    }

    @Test
    void a421MidSessionDefersWhatIsOpenAndDropsTheSession() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT TO:<a@");
            peer.send("550 no such user");
            peer.expect("RCPT TO:<b@");
            peer.send("421 4.3.2 shutting down");
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")),
                    List.of("a@example.test", "b@example.test", "c@example.test"), "x\r\n");
            Deferred closed = new Deferred("Connected to 127.0.0.1 but it closed the session./"
                    + "Remote host said: 421 4.3.2 shutting down");
            assertThat(result.recipients()).containsExactly(
                    new Failed("127.0.0.1 does not like recipient./Remote host said: 550 no such user"),
                    closed, closed);
            assertThat(delivery.idleSessions(server.address())).isZero();
        }
    }

    @Test
    void aDisconnectAfterTheContentIsAPossibleDuplicate() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("PIPELINING");
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.expect("DATA");
            peer.send("250 ok", "250 ok", "354 go");
            peer.data();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isInstanceOf(Deferred.class);
            assertThat(only(result).text()).isEqualTo("Connected to 127.0.0.1 but connection died "
                    + "after I sent the message. Possible duplicate! (#4.4.2)");
            assertThat(delivery.idleSessions(server.address())).isZero();
        }
    }

    @Test
    void timesOutWaitingForTheGreeting() throws Exception {
        try (ScriptedServer server = new ScriptedServer(ScriptedServer.Peer::ignoreRest)) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isEqualTo(new Deferred(
                    "Connection to 127.0.0.1 timed out waiting for the greeting. (#4.4.2)"));
        }
    }

    @Test
    void timesOutWaitingForAnEnvelopeReply() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("PIPELINING");
            peer.ignoreRest();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isEqualTo(new Deferred(
                    "Connection to 127.0.0.1 timed out after MAIL. (#4.4.2)"));
        }
    }

    @Test
    void timesOutWaitingForTheReplyToTheContent() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.ignoreRest();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isEqualTo(new Deferred("Connection to 127.0.0.1 timed out after I sent "
                    + "the message. Possible duplicate! (#4.4.2)"));
        }
    }

    @Test
    void aTenThousandLineReplyIsRefusedAndTheNextHostTried() throws Exception {
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            flood.append("250-keyword").append(i).append("\r\n");
        }
        flood.append("250 end\r\n");
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.send("220 flood.test ESMTP");
            peer.expect("EHLO");
            peer.sendRaw(flood.toString().getBytes(StandardCharsets.US_ASCII));
            peer.ignoreRest();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isInstanceOf(Deferred.class);
            assertThat(only(result).text()).startsWith("Connected to 127.0.0.1 but remote host sent a "
                    + "malformed/oversized reply (reply of more than 1000 lines)");
        }
    }

    @Test
    void aMalformedReplyMidTransactionDefersAndDrops() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250-ok", "251 mixed");
            peer.ignoreRest();
        })) {
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), "x\r\n");
            assertThat(only(result)).isInstanceOf(Deferred.class);
            assertThat(only(result).text()).contains("malformed/oversized reply");
            assertThat(delivery.idleSessions(server.address())).isZero();
        }
    }

    @Test
    void aSessionDroppedWhileIdleIsReplacedByAFreshOne() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 first");
            // then the server drops the idle session without a word
        }, peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 second");
            peer.drain();
        })) {
            RemoteTarget target = target(server.host("mx"));
            assertThat(only(deliver(delivery, target, List.of("a@example.test"), "1\r\n")).text()).endsWith("250 first");
            RemoteResult second = deliver(delivery, target, List.of("a@example.test"), "2\r\n");
            assertThat(only(second)).isEqualTo(new Delivered("127.0.0.1 accepted message./Remote host said: 250 second"));
            assertThat(server.accepted()).isEqualTo(2);
        }
    }

    @Test
    void aTooLongLineFailsTheMessageWithoutEndingTheData() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.ignoreRest();
        })) {
            String body = "short\r\n" + "x".repeat(DotStuffer.MAX_LINE + 1) + "\r\n";
            RemoteResult result = deliver(delivery, target(server.host("mx")), List.of("a@example.test"), body);
            assertThat(only(result)).isInstanceOf(Failed.class);
            assertThat(only(result).text()).contains("longer than 998 octets");
        }
    }

    @Test
    void timesOutConnectingToAHostWhoseBacklogIsFull() throws Exception {
        // Linux drops SYNs once a listener's accept queue is full, so a connect there never completes.
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
            List<Socket> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    Socket s = new Socket();
                    try {
                        s.connect(address, 200);
                    } catch (IOException queueFull) {
                        // the queue is full: exactly what this test needs
                    }
                    fillers.add(s);
                }
                RemoteOptions quickConnect = new RemoteOptions("client.test", Duration.ofSeconds(1), REPLY_TIMEOUT,
                        4, Duration.ofSeconds(60), true, null);
                try (SmtpClientDelivery d = SmtpClientDelivery.create(quickConnect)) {
                    RemoteResult result = deliver(d, target(new RemoteTarget.Host("mx", address)),
                            List.of("a@example.test"), "x\r\n");
                    assertThat(only(result)).isEqualTo(new Deferred("Connection to 127.0.0.1 timed out. (#4.4.1)"));
                    // qmail-tcpto: after a second timeout the address is skipped without a connect.
                    deliver(d, target(new RemoteTarget.Host("mx", address)), List.of("a@example.test"), "x\r\n");
                    RemoteResult skipped = deliver(d, target(new RemoteTarget.Host("mx", address)),
                            List.of("a@example.test"), "x\r\n");
                    assertThat(only(skipped).text()).contains("its last 2 connections timed out");
                }
            } finally {
                for (Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void aBodyThatCannotBeReadMidDataDefersAndDropsTheSession() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello("PIPELINING");
            peer.expect("MAIL");
            peer.expect("RCPT");
            peer.expect("DATA");
            peer.send("250 ok", "250 ok", "354 go");
            peer.ignoreRest();
        })) {
            RemoteResult result = delivery.deliver(target(server.host("mx")), "sender@client.test",
                    List.of("a@example.test"), 10, () -> {
                        throw new java.io.UncheckedIOException(new IOException("segment vanished"));
                    }).block(DeliveryFixtures.DELIVERY_BOUND);
            assertThat(only(result)).isInstanceOf(Deferred.class);
            assertThat(only(result).text()).contains("Unable to read the message").contains("segment vanished");
            assertThat(delivery.idleSessions(server.address())).isZero();
        }
    }
}
