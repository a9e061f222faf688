package dev.qflux.bench;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.schedule.DeliveryAgent;
import dev.qflux.schedule.DeliveryEvent;
import dev.qflux.schedule.OutcomeSink;
import dev.qflux.schedule.RetrySchedule;
import dev.qflux.schedule.Scheduler;
import dev.qflux.schedule.SchedulerOptions;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The delivery scheduler against simulated destinations: {@value #BATCH} messages per invocation,
 * spread over {@value #LIVE} live destinations, and one message in {@value #DEAD_EVERY} to a dead
 * destination that answers only after a {@value #DEAD_TIMEOUT_MS} ms timeout (its jobs hold their slots that long). The score is
 * messages/s whose live attempt finished. {@code latencyMs} 0 answers at once (the scheduler's
 * own overhead per message); 1 adds a millisecond per attempt on Reactor's timer, where
 * {@code concurrencyRemote} decides throughput. The aux counters {@code d0..d3} count finished
 * attempts per live destination (fairness), {@code dead} the dead destination's started ones.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SchedulerBench {

    static final int BATCH = 1000;
    static final int LIVE = 4;
    static final int DEAD_EVERY = 50;
    /** The dead destination's stand-in for qmail-remote's timeoutconnect, shortened to fit a run. */
    static final int DEAD_TIMEOUT_MS = 100;

    @Param({"1", "20", "100"})
    public int concurrencyRemote;

    @Param({"0", "1"})
    public int latencyMs;

    /** Per mille of recipients deferred, and failed for good. */
    @Param({"50"})
    public int temporaryPerMille;

    @Param({"20"})
    public int permanentPerMille;

    private Scheduler scheduler;
    private Disposable subscription;
    private final AtomicLongArray finishedPerDestination = new AtomicLongArray(LIVE + 1);
    private volatile CountDownLatch batchDone;
    private long nextId;

    /** Finished attempts per destination in the iteration; JMH reports them per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Fairness {
        public long d0;
        public long d1;
        public long d2;
        public long d3;
        public long dead;

        @Setup(Level.Iteration)
        public void clear() {
            d0 = d1 = d2 = d3 = dead = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        DeliveryAgent agent = job -> {
            if (job.destination().equals("dead.test")) {
                // Silent until a connect timeout, then a deferral: it holds its slots that long.
                return Mono.just(List.<RecipientOutcome>of(new RecipientOutcome.Deferred("timed out (#4.4.1)")))
                        .delayElement(Duration.ofMillis(DEAD_TIMEOUT_MS), Schedulers.parallel());
            }
            int roll;
            synchronized (random) {
                roll = random.nextInt(1000);
            }
            RecipientOutcome o = roll < temporaryPerMille ? new RecipientOutcome.Deferred("try later (#4.4.1)")
                    : roll < temporaryPerMille + permanentPerMille ? new RecipientOutcome.Failed("no (#5.1.1)")
                    : new RecipientOutcome.Delivered("ok");
            Mono<List<RecipientOutcome>> answer = Mono.just(List.of(o));
            return latencyMs == 0 ? answer : answer.delayElement(Duration.ofMillis(latencyMs), Schedulers.parallel());
        };
        OutcomeSink sink = (job, outcomes) -> Mono.empty();
        scheduler = new Scheduler(new SchedulerOptions(concurrencyRemote, 10, 20, RetrySchedule.DEFAULT_QUEUE_LIFETIME),
                agent, sink, r -> r.substring(r.indexOf('@') + 1), r -> false, Schedulers.parallel());
        subscription = scheduler.events().ofType(DeliveryEvent.Finished.class).subscribe(e -> {
            if (e.messageId() % DEAD_EVERY == 0) {
                return;
            }
            finishedPerDestination.incrementAndGet((int) (e.messageId() % LIVE));
            CountDownLatch latch = batchDone;
            if (latch != null) {
                latch.countDown();
            }
        });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        subscription.dispose();
        scheduler.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void deliver(Fairness fairness) throws InterruptedException {
        int live = 0;
        long first = nextId;
        for (int i = 0; i < BATCH; i++) {
            long id = nextId++;
            boolean dead = id % DEAD_EVERY == 0;
            live += dead ? 0 : 1;
        }
        CountDownLatch latch = new CountDownLatch(live);
        batchDone = latch;
        long before0 = finishedPerDestination.get(0);
        long before1 = finishedPerDestination.get(1);
        long before2 = finishedPerDestination.get(2);
        long before3 = finishedPerDestination.get(3);
        long now = System.currentTimeMillis();
        for (long id = first; id < nextId; id++) {
            String domain = id % DEAD_EVERY == 0 ? "dead.test" : "d" + (id % LIVE) + ".test";
            scheduler.add(id, now, List.of("user" + id + "@" + domain), new BitSet());
        }
        if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("batch not finished: " + latch.getCount() + " left");
        }
        fairness.d0 += finishedPerDestination.get(0) - before0;
        fairness.d1 += finishedPerDestination.get(1) - before1;
        fairness.d2 += finishedPerDestination.get(2) - before2;
        fairness.d3 += finishedPerDestination.get(3) - before3;
        fairness.dead += BATCH - live;
    }
}
