package dev.qflux.deliver.remote;

import static dev.qflux.deliver.remote.DeliveryFixtures.options;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome.Deferred;
import dev.qflux.deliver.RecipientOutcome.Delivered;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.SmtpSink;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote delivery to Postfix's smtp-sink, a real receiving server. */
class SmtpSinkDeliveryIT {
    private static final Duration BOUND = Duration.ofSeconds(60);
    private static final String BODY = "From: a@client.test\r\nSubject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\n"
            + "middle . dot\r\n. \r\nlast line\r\n";

    @TempDir
    Path dir;

    private final SmtpClientDelivery delivery = SmtpClientDelivery.create(options(Duration.ofSeconds(30)));

    @AfterEach
    void close() {
        delivery.close();
    }

    @Test
    void aMessageWithDotLinesArrivesByteIdenticalForEveryRecipient() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick())) {
            RemoteResult result = deliver(sink.port(), List.of("a@sink.test", "b@sink.test", "c@sink.test"));
            assertThat(result.recipients()).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOf(Delivered.class)
                    .extracting(o2 -> o2.text()).asString().startsWith("127.0.0.1 accepted message./Remote host said: 250"));
            sink.awaitDumps(1, BOUND);
            assertThat(sink.dumps()).hasSize(1);
            String dump = Files.readString(sink.dumps().get(0), StandardCharsets.ISO_8859_1);
            assertThat(dump).contains("a@sink.test").contains("b@sink.test").contains("c@sink.test");
            assertThat(messagePart(dump)).isEqualTo(BODY);
        }
    }

    @Test
    void twoMessagesShareOneConnection() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick());
             CountingProxy proxy = new CountingProxy(sink.port())) {
            RemoteResult first = deliver(proxy.port(), List.of("a@sink.test"));
            RemoteResult second = deliver(proxy.port(), List.of("b@sink.test"));
            assertThat(first.recipients()).singleElement().isInstanceOf(Delivered.class);
            assertThat(second.recipients()).singleElement().isInstanceOf(Delivered.class);
            sink.awaitDumps(2, BOUND);
            assertThat(proxy.accepted()).isEqualTo(1);
        }
    }

    @Test
    void concurrentDeliveriesShareAFewConnectionsSafely() throws Exception {
        int messages = 40;
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick());
             CountingProxy proxy = new CountingProxy(sink.port())) {
            List<RemoteResult> results = reactor.core.publisher.Flux.range(0, messages)
                    .flatMap(i -> deliverLater(proxy.port(), List.of("r" + i + "@sink.test")), 8)
                    .collectList().block(BOUND);
            assertThat(results).hasSize(messages).allSatisfy(r ->
                    assertThat(r.recipients()).singleElement().isInstanceOf(Delivered.class));
            sink.awaitDumps(messages, BOUND);
            assertThat(sink.dumps()).hasSize(messages);
            // Reuse happened, and never more sessions than deliveries at once.
            assertThat(proxy.accepted()).isBetween(1, 8);
            assertThat(delivery.idleSessions(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.port())))
                    .isBetween(1, RemoteOptions.DEFAULT_MAX_IDLE_PER_HOST);
        }
    }

    @Test
    void deliversWithoutPipelining() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick(), "-p")) {
            RemoteResult result = deliver(sink.port(), List.of("a@sink.test", "b@sink.test"));
            assertThat(result.recipients()).allSatisfy(o -> assertThat(o).isInstanceOf(Delivered.class));
            sink.awaitDumps(1, BOUND);
            assertThat(messagePart(Files.readString(sink.dumps().get(0), StandardCharsets.ISO_8859_1)))
                    .isEqualTo(BODY);
        }
    }

    @Test
    void softRejectedRecipientsAreDeferred() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick(), "-r", "RCPT")) {
            RemoteResult result = deliver(sink.port(), List.of("a@sink.test", "b@sink.test"));
            assertThat(result.recipients()).allSatisfy(o -> assertThat(o).isInstanceOf(Deferred.class)
                    .extracting(o2 -> o2.text()).asString().startsWith("127.0.0.1 does not like recipient./"
                            + "Remote host said: 4"));
            assertThat(sink.dumps()).isEmpty();
        }
    }

    @Test
    void a421AndDisconnectDefersEveryone() throws Exception {
        try (SmtpSink sink = SmtpSink.start(dir, FreePort.pick(), "-Q", "RCPT")) {
            RemoteResult result = deliver(sink.port(), List.of("a@sink.test", "b@sink.test"));
            assertThat(result.recipients()).allSatisfy(o -> assertThat(o).isInstanceOf(Deferred.class));
            assertThat(result.recipients().get(0).text()).contains("421");
            assertThat(sink.dumps()).isEmpty();
        }
    }

    private RemoteResult deliver(int port, List<String> recipients) {
        return deliverLater(port, recipients).block(BOUND);
    }

    private reactor.core.publisher.Mono<RemoteResult> deliverLater(int port, List<String> recipients) {
        RemoteTarget target = new RemoteTarget("sink.test", List.of(new RemoteTarget.Host("sink.test",
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port))));
        byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
        return delivery.deliver(target, "sender@client.test", recipients, body.length, DeliveryFixtures.body(body));
    }

    /**
     * The message as smtp-sink received it, after the sink's own envelope and Received lines. The
     * sink stores each line with LF and ends the record with an empty line; undone here, so the
     * result is the unstuffed content exactly as it came off the wire.
     */
    private static String messagePart(String dump) {
        int start = dump.indexOf("From: a@client.test");
        assertThat(start).as("message in dump:%n%s", dump).isNotNegative();
        assertThat(dump).endsWith("\n\n");
        return dump.substring(start, dump.length() - 1).replace("\n", "\r\n");
    }
}
