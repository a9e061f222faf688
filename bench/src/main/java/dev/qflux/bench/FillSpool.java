package dev.qflux.bench;

import dev.qflux.spool.Envelope;
import dev.qflux.spool.QueuedMessage;
import dev.qflux.spool.SpoolOptions;
import dev.qflux.spool.SpoolWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;

/**
 * Fills a queue directory with N small messages through the spool's own writer, for the
 * restart-at-scale measurement (bench/restart): {@code FillSpool QUEUEDIR N [RECIPIENT_DOMAIN]}.
 */
public final class FillSpool {
    private FillSpool() {
    }

    public static void main(String[] args) throws Exception {
        Path queue = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        String domain = args.length > 2 ? args[2] : "held.test";
        Semaphore inFlight = new Semaphore(2048); // within the writer's pending limit
        long start = System.nanoTime();
        try (SpoolWriter spool = SpoolWriter.open(queue, SpoolOptions.defaults())) {
            for (int i = 0; i < n; i++) {
                inFlight.acquire();
                byte[] body = ("Subject: fill " + i + "\r\n\r\nbody " + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
                ByteBuf buf = Unpooled.directBuffer(body.length).writeBytes(body);
                spool.accept(new Envelope("sender@fill.test", List.of("rcpt" + i + "@" + domain)), buf)
                        .doFinally(s -> inFlight.release())
                        .subscribe(QueuedMessage::id, e -> System.err.println("fill: " + e.getMessage()));
            }
            inFlight.acquire(2048);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        System.out.printf("fill: %d messages in %.1f s (%.0f msg/s) into %s%n", n, secs, n / secs, queue);
    }
}
