package dev.qflux.deliver.remote;

import static dev.qflux.deliver.remote.DeliveryFixtures.body;
import static dev.qflux.deliver.remote.DeliveryFixtures.target;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.deliver.RecipientOutcome.Deferred;
import dev.qflux.deliver.RecipientOutcome.Delivered;
import dev.qflux.deliver.RecipientOutcome.Failed;
import dev.qflux.schedule.DeliveryEvent;
import dev.qflux.schedule.DeliveryJob;
import dev.qflux.schedule.Scheduler;
import dev.qflux.schedule.SchedulerOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Faults of a real (scripted) receiving server carried through the scheduler on virtual time:
 * each fault's outcome is recorded per recipient, and the deferred ones are tried again exactly
 * when qmail's schedule says (0, 400, 1600, 3600 s after birth), on a fresh connection.
 */
class FaultRetryTest {
    /** Bounds waiting for a real attempt to finish; generous for a busy 2-core machine. */
    private static final long ATTEMPT_BOUND_S = 60;
    private static final String BODY = "Subject: retry\r\n\r\nbody\r\n";

    /** No idle sessions kept: each attempt is its own connection, one script each. */
    private final SmtpClientDelivery delivery = SmtpClientDelivery.create(
            new RemoteOptions("client.test", Duration.ofSeconds(10), Duration.ofSeconds(10), 0,
                    Duration.ofSeconds(60), true, null));
    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Recorded> recorded = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Long> startedAtSeconds = new ConcurrentLinkedQueue<>();
    private final Semaphore attemptsRecorded = new Semaphore(0);

    private record Recorded(List<String> recipients, List<RecipientOutcome> outcomes) {
    }

    @AfterEach
    void close() {
        delivery.close();
        clock.dispose();
    }

    @Test
    void aPerRecipientMixIsRecordedAndOnlyTheDeferredRecipientIsRetriedAt400Seconds() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT TO:<ok@");
            peer.send("250 ok");
            peer.expect("RCPT TO:<later@");
            peer.send("450 4.2.1 mailbox busy");
            peer.expect("RCPT TO:<never@");
            peer.send("550 5.1.1 no such user");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 accepted");
        }, peer -> {
            peer.hello();
            peer.expect("MAIL");
            peer.send("250 ok");
            peer.expect("RCPT TO:<later@");
            peer.send("250 ok");
            peer.expect("DATA");
            peer.send("354 go");
            peer.data();
            peer.send("250 accepted");
        })) {
            try (Scheduler scheduler = schedulerFor(server)) {
                Semaphore messageDone = new Semaphore(0);
                scheduler.events().ofType(DeliveryEvent.MessageDone.class).subscribe(e -> messageDone.release());
                scheduler.add(1, clock.now(TimeUnit.MILLISECONDS),
                        List.of("ok@example.test", "later@example.test", "never@example.test"), new BitSet());
                clock.advanceTime();
                awaitAttempts(1);
                assertThat(recorded.get(0).outcomes()).hasSize(3);
                assertThat(recorded.get(0).outcomes().get(0)).isInstanceOf(Delivered.class);
                assertThat(recorded.get(0).outcomes().get(1)).isEqualTo(new Deferred(
                        "127.0.0.1 does not like recipient./Remote host said: 450 4.2.1 mailbox busy"));
                assertThat(recorded.get(0).outcomes().get(2)).isEqualTo(new Failed(
                        "127.0.0.1 does not like recipient./Remote host said: 550 5.1.1 no such user"));

                clock.advanceTimeBy(Duration.ofSeconds(399));
                assertThat(startedAtSeconds).containsExactly(0L);
                clock.advanceTimeBy(Duration.ofSeconds(1));
                awaitAttempts(2);
                assertThat(recorded.get(1).recipients()).containsExactly("later@example.test");
                assertThat(recorded.get(1).outcomes().get(0)).isInstanceOf(Delivered.class);
                assertThat(startedAtSeconds).containsExactly(0L, 400L);
                assertThat(server.errors()).isEmpty();
                assertThat(messageDone.tryAcquire(ATTEMPT_BOUND_S, TimeUnit.SECONDS))
                        .as("the message is done once its last recipient is").isTrue();
            }
        }
    }

    @Test
    void repeatedFaultsAreRetriedOnQmailsScheduleUntilOneSucceeds() throws Exception {
        ScriptedServer.Script success = peer -> {
            peer.upToContent();
            peer.send("250 accepted");
        };
        try (ScriptedServer server = new ScriptedServer(
                peer -> peer.send("421 4.3.2 too busy, try later"),          // refused at the greeting
                peer -> {                                                      // dropped before the reply to the content
                    peer.upToContent();
                },
                peer -> {                                                      // 4xx to the content
                    peer.upToContent();
                    peer.send("451 4.3.0 queue write failed");
                },
                success)) {
            try (Scheduler scheduler = schedulerFor(server)) {
                scheduler.add(1, clock.now(TimeUnit.MILLISECONDS), List.of("x@example.test"), new BitSet());
                clock.advanceTime();
                long[] schedule = {400, 1600, 3600};
                for (int attempt = 1; attempt <= 3; attempt++) {
                    awaitAttempts(attempt);
                    assertThat(recorded.get(attempt - 1).outcomes().get(0)).isInstanceOf(Deferred.class);
                    clock.advanceTimeTo(Instant.ofEpochSecond(schedule[attempt - 1] - 1));
                    assertThat(startedAtSeconds).as("not retried before its time").hasSize(attempt);
                    clock.advanceTimeTo(Instant.ofEpochSecond(schedule[attempt - 1]));
                }
                awaitAttempts(4);
                assertThat(recorded.get(3).outcomes().get(0)).isInstanceOf(Delivered.class);
                assertThat(startedAtSeconds).containsExactly(0L, 400L, 1600L, 3600L);
                assertThat(recorded.get(0).outcomes().get(0).text()).contains("421 4.3.2 too busy");
                assertThat(recorded.get(1).outcomes().get(0).text()).contains("Possible duplicate!");
                assertThat(recorded.get(2).outcomes().get(0).text()).contains("451 4.3.0 queue write failed");
                assertThat(server.errors()).isEmpty();
            }
        }
    }

    private Scheduler schedulerFor(ScriptedServer server) {
        RemoteTarget where = target(server.host("mx.example.test"));
        return new Scheduler(SchedulerOptions.defaults(),
                job -> {
                    startedAtSeconds.add(clock.now(TimeUnit.SECONDS));
                    return delivery.deliver(where, "sender@client.test", job.recipients(), BODY.length(),
                            body(BODY)).map(RemoteResult::recipients);
                },
                (DeliveryJob job, List<RecipientOutcome> outcomes) -> Mono.fromRunnable(() -> {
                    recorded.add(new Recorded(job.recipients(), outcomes));
                    attemptsRecorded.release();
                }),
                r -> r.substring(r.indexOf('@') + 1), r -> false, clock);
    }

    /** Waits until n attempts were recorded (each records once, then releases a permit). */
    private void awaitAttempts(int n) throws InterruptedException {
        while (recorded.size() < n) {
            assertThat(attemptsRecorded.tryAcquire(ATTEMPT_BOUND_S, TimeUnit.SECONDS))
                    .as("attempt %d recorded within %d s", n, ATTEMPT_BOUND_S).isTrue();
        }
    }
}
