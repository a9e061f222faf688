package dev.qflux.deliver;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.LogConfig;
import dev.qflux.log.LogSink;
import dev.qflux.schedule.DeliveryEvent;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** qmail-send's lines, one delivery number per recipient, as qmailanalog expects them. */
class DeliveryLogTest {
    @Test
    void oneDeliveryPerRecipientWithQmailsEscaping() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogSink sink = new LogSink(out);
        DeliveryLog log = new DeliveryLog(sink, 20, 10);
        log.on(new DeliveryEvent.Started(7, 42, "example.com", false, List.of("a@example.com", "b@example.com")));
        log.on(new DeliveryEvent.Finished(7, 42, List.of(
                new RecipientOutcome.Delivered("192.0.2.1 accepted message./Remote host said: 250 ok"),
                new RecipientOutcome.Failed("bad\u0001reply\nsecond line"))));
        log.on(new DeliveryEvent.MessageDone(42));
        sink.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n",
                "starting delivery 1: msg 42 to remote a@example.com",
                "status: local 0/10 remote 1/20",
                "starting delivery 2: msg 42 to remote b@example.com",
                "status: local 0/10 remote 2/20",
                "delivery 1: success: 192.0.2.1 accepted message./Remote host said: 250 ok",
                "status: local 0/10 remote 1/20",
                "delivery 2: failure: bad_reply/second line",
                "status: local 0/10 remote 0/20",
                "end msg 42", ""));
    }

    @Test
    void theSameEventsAsJsonWhenLogformatSaysSo() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LogSink sink = new LogSink(out);
        sink.use(new LogConfig(LogConfig.Format.JSON, LogConfig.Timestamp.NONE));
        DeliveryLog log = new DeliveryLog(sink, 20, 10);
        log.on(new DeliveryEvent.Started(7, 42, "example.com", false, List.of("a@example.com")));
        log.on(new DeliveryEvent.Finished(7, 42, List.of(new RecipientOutcome.Deferred("try \"later\""))));
        log.on(new DeliveryEvent.MessageDone(42));
        sink.close();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo(String.join("\n",
                "{\"event\":\"starting\",\"d\":1,\"msg\":42,\"channel\":\"remote\",\"to\":\"a@example.com\"}",
                "{\"event\":\"status\",\"local\":0,\"localmax\":10,\"remote\":1,\"remotemax\":20}",
                "{\"event\":\"delivery\",\"d\":1,\"result\":\"deferral\",\"text\":\"try \\\"later\\\"\"}",
                "{\"event\":\"status\",\"local\":0,\"localmax\":10,\"remote\":0,\"remotemax\":20}",
                "{\"event\":\"end\",\"msg\":42}", ""));
    }
}
