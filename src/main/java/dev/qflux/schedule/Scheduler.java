package dev.qflux.schedule;

import dev.qflux.deliver.RecipientOutcome;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * qmail-send's scheduling half. Keeps a small index entry per queued message, tries each message
 * when it is due (qmail's retry formula per message and channel), with one job per (message,
 * destination) carrying all that message's pending recipients there, within the concurrency
 * limits of {@link SchedulerOptions}.
 *
 * <p>Threads: every piece of state is touched only by one worker of the given Reactor scheduler
 * (a Reactor worker runs its tasks one at a time, in order). Public methods only post tasks to it;
 * agents' and the sink's results are posted back to it. Nothing here blocks, and no task is
 * scheduled per message: one heap ordered by next-attempt time and one timer serve all of them.
 */
public final class Scheduler implements AutoCloseable {

    /** Due messages started per worker task, so results and new messages interleave with a big ALRM. */
    private static final int DUE_PER_TASK = 1024;
    /** Events held for a slow subscriber before they are dropped (and counted). */
    private static final int EVENT_BUFFER = 65536;
    private static final int FLAG_DEFERRED_LOCAL = 1;
    private static final int FLAG_DEFERRED_REMOTE = 2;

    private final DeliveryAgent agent;
    private final Function<String, String> destinationOf;
    private final Predicate<String> isLocal;
    private final reactor.core.scheduler.Scheduler timer;
    private final reactor.core.scheduler.Scheduler.Worker worker;
    private final Sinks.Many<DeliveryEvent> events = Sinks.many().multicast().onBackpressureBuffer(EVENT_BUFFER, false);
    private final TimerHeap heap = new TimerHeap();
    private final DispatchQueues dispatch;
    private final AttemptRunner runner;
    private final Set<Disposable> running = new HashSet<>();
    private SchedulerOptions options;
    private Disposable alarm;
    private long alarmAt = QueuedMessage.NEVER;
    private long lastDeliveryId;
    private volatile boolean closed;
    private volatile int queued;
    private volatile long attemptsFinished;
    private volatile long messagesDone;
    private volatile long eventsDropped;

    public Scheduler(SchedulerOptions options, DeliveryAgent agent, OutcomeSink sink,
                     Function<String, String> destinationOf, Predicate<String> isLocal,
                     reactor.core.scheduler.Scheduler timer) {
        this.options = Objects.requireNonNull(options, "options");
        this.agent = Objects.requireNonNull(agent, "agent");
        this.destinationOf = Objects.requireNonNull(destinationOf, "destinationOf");
        this.isLocal = Objects.requireNonNull(isLocal, "isLocal");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.worker = timer.createWorker();
        this.runner = new AttemptRunner(Objects.requireNonNull(sink, "sink"));
        this.dispatch = new DispatchQueues(options, this::launch);
    }

    /** A new message, or one recovered from the spool with {@code done} recipients finished: try it now. */
    public void add(long messageId, long birthMillis, List<String> recipients, BitSet done) {
        add(messageId, birthMillis, recipients, done, Long.MIN_VALUE);
    }

    /**
     * A message to try first at {@code notBeforeMillis} (e.g. a recovered message's next retry time,
     * {@link RetrySchedule#nextAttemptMillis}), or now if that has passed.
     */
    public void add(long messageId, long birthMillis, List<String> recipients, BitSet done, long notBeforeMillis) {
        QueuedMessage m = new QueuedMessage(messageId, birthMillis, List.copyOf(recipients), (BitSet) done.clone());
        post(() -> {
            queued++;
            m.nextLocal = notBeforeMillis;
            m.nextRemote = notBeforeMillis;
            heap.upsert(m);
            armTimer();
        });
    }

    /** qmail-send's ALRM ({@code qmail-tcpok; svc -a}, {@code qflux doqueue}): everything waiting is due now. */
    public void runAllNow() {
        post(() -> {
            long now = now();
            heap.lowerAll(m -> {
                if (m.runningLocal == 0) {
                    m.nextLocal = Math.min(m.nextLocal, now);
                }
                if (m.runningRemote == 0) {
                    m.nextRemote = Math.min(m.nextRemote, now);
                }
            });
            armTimer();
        });
    }

    /**
     * Retry one message now (the admin endpoint's flush); completes with false if the scheduler
     * does not hold it.
     */
    public reactor.core.publisher.Mono<Boolean> runNow(long messageId) {
        Sinks.One<Boolean> found = Sinks.one();
        post(() -> {
            long now = now();
            boolean[] seen = {false};
            heap.lowerAll(m -> {
                if (m.id == messageId) {
                    seen[0] = true;
                    if (m.runningLocal == 0) {
                        m.nextLocal = Math.min(m.nextLocal, now);
                    }
                    if (m.runningRemote == 0) {
                        m.nextRemote = Math.min(m.nextRemote, now);
                    }
                }
            });
            armTimer();
            found.tryEmitValue(seen[0]);
        });
        return found.asMono();
    }

    /** What {@link #finishPending} came to. */
    public enum Finish {
        /** Every pending recipient recorded with the outcome. */
        DONE,
        /** No such message waiting: unknown, done, or being delivered on its every channel. */
        NOT_QUEUED,
        /** Waiting on one channel, being delivered on the other: that outcome would race this one. */
        BUSY,
        /** The spool did not record it: the recipients stay pending. */
        NOT_RECORDED
    }

    /** The destination of the jobs {@link #finishPending} records: no agent runs for them. */
    static final String ADMINISTRATOR = "administrator";

    /**
     * The admin endpoint's bounce and delete: records {@code outcome} for every pending recipient
     * of an idle message through the outcome sink, as if an attempt had ended so. The sink's
     * order stays the one that loses nothing: a Failed recipient's bounce is queued before it is
     * marked done (design.md invariant 2). A message being delivered is left alone (NOT_QUEUED
     * or BUSY): the caller tries again once the attempt ended.
     */
    public reactor.core.publisher.Mono<Finish> finishPending(long messageId, RecipientOutcome outcome) {
        Sinks.One<Finish> answer = Sinks.one();
        post(() -> {
            QueuedMessage[] found = {null};
            heap.lowerAll(m -> {
                if (m.id == messageId) {
                    found[0] = m;
                }
            });
            QueuedMessage m = found[0] != null ? found[0] : dispatch.findWaiting(messageId);
            if (m == null || m.allDone()) {
                answer.tryEmitValue(Finish.NOT_QUEUED);
                return;
            }
            // Jobs still waiting for a slot (or at a held destination) are withdrawn; a started one is not.
            if (m.runningLocal != dispatch.waitingJobs(m, true) || m.runningRemote != dispatch.waitingJobs(m, false)) {
                answer.tryEmitValue(Finish.BUSY);
                return;
            }
            dispatch.withdraw(m);
            m.runningLocal = 0;
            m.runningRemote = 0;
            m.flags = 0;
            List<Integer> pending = new ArrayList<>();
            for (int i = 0; i < m.recipients().size(); i++) {
                if (!m.isDone(i)) {
                    pending.add(i);
                }
            }
            int[] indexes = pending.stream().mapToInt(Integer::intValue).toArray();
            List<String> recipients = pending.stream().map(m.recipients()::get).toList();
            DeliveryJob job = new DeliveryJob(++lastDeliveryId, m.id, m.birthMillis, ADMINISTRATOR, false,
                    indexes, recipients, 0, false);
            // Both channels count as running: no round of the message starts meanwhile.
            m.runningLocal++;
            m.runningRemote++;
            DeliveryAgent fixed = j -> reactor.core.publisher.Mono.just(
                    java.util.Collections.nCopies(indexes.length, outcome));
            Disposable[] handle = new Disposable[1];
            Disposable d = runner.run(fixed, job).subscribe(result -> postUnlessClosed(() -> {
                running.remove(handle[0]);
                m.runningLocal--;
                m.runningRemote--;
                if (result.recorded()) {
                    for (int k = 0; k < indexes.length; k++) {
                        m.markDone(indexes[k]);
                        if (outcome instanceof RecipientOutcome.Failed) {
                            m.failed(indexes[k], recipients.get(k), outcome.text());
                        }
                    }
                    m.nextLocal = QueuedMessage.NEVER;
                    m.nextRemote = QueuedMessage.NEVER;
                }
                settle(m, now());
                answer.tryEmitValue(result.recorded() ? Finish.DONE : Finish.NOT_RECORDED);
            }));
            if (!d.isDisposed()) {
                handle[0] = d;
                running.add(d);
            }
        });
        return answer.asMono();
    }

    /** Hold or release one destination (a {@code Router.destinationKey}): held, it starts no attempt. */
    public void hold(String destination, boolean on) {
        Objects.requireNonNull(destination, "destination");
        post(() -> dispatch.hold(destination, on));
    }

    /** New limits, e.g. concurrency 0 to pause ({@code qflux pause}) and back ({@code qflux cont}). */
    public void setOptions(SchedulerOptions newOptions) {
        Objects.requireNonNull(newOptions, "options");
        post(() -> {
            options = newOptions;
            dispatch.setLimits(newOptions);
        });
    }

    /**
     * Every attempt started and finished, bounces needed and messages done, in order. Emitted from
     * the worker; a subscriber that falls {@value #EVENT_BUFFER} events behind loses events
     * (counted in {@link SchedulerStats#eventsDropped()}).
     */
    public Flux<DeliveryEvent> events() {
        return events.asFlux();
    }

    public SchedulerStats stats() {
        return new SchedulerStats(queued, heap.size(), dispatch.waiting(), dispatch.inFlight(false),
                dispatch.inFlight(true), dispatch.inFlightPerDestination(), attemptsFinished, messagesDone,
                eventsDropped);
    }

    /** Stops scheduling and cancels running attempts; their recipients stay pending in the spool. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            worker.schedule(() -> {
                if (alarm != null) {
                    alarm.dispose();
                }
                running.forEach(Disposable::dispose);
                running.clear();
                events.tryEmitComplete();
                worker.dispose();
            });
        } catch (RuntimeException rejected) {
            worker.dispose();
        }
    }

    private void post(Runnable task) {
        if (closed) {
            throw new IllegalStateException("scheduler closed");
        }
        worker.schedule(task);
    }

    /** For results arriving from other threads: after close they are dropped (the spool keeps them pending). */
    private void postUnlessClosed(Runnable task) {
        if (!closed) {
            try {
                worker.schedule(task);
            } catch (java.util.concurrent.RejectedExecutionException lateAfterClose) {
                // closed meanwhile: nothing to do
            }
        }
    }

    private long now() {
        return timer.now(TimeUnit.MILLISECONDS);
    }

    /** Arms the one timer for the earliest due message; a timer that fires early just re-arms. */
    private void armTimer() {
        QueuedMessage first = heap.peek();
        long at = first == null ? QueuedMessage.NEVER : first.due();
        if (closed || at >= alarmAt) {
            return;
        }
        if (alarm != null) {
            alarm.dispose();
        }
        alarmAt = at;
        long now = now();
        alarm = worker.schedule(this::onAlarm, at <= now ? 0 : at - now, TimeUnit.MILLISECONDS);
    }

    private void onAlarm() {
        alarm = null;
        alarmAt = QueuedMessage.NEVER;
        long now = now();
        for (int n = 0; n < DUE_PER_TASK; n++) {
            QueuedMessage m = heap.peek();
            if (m == null || m.due() > now) {
                break;
            }
            heap.remove(m);
            startRounds(m, now);
        }
        armTimer();
    }

    /** Starts a round on each due channel of the message: one job per destination. */
    private void startRounds(QueuedMessage m, long now) {
        boolean localDue = m.runningLocal == 0 && m.nextLocal <= now;
        boolean remoteDue = m.runningRemote == 0 && m.nextRemote <= now;
        // qmail-send.c job_open: the retry time is fixed when the attempt starts, so a slow attempt
        // does not push the schedule back (attempts stay at 0, 400, 1600 ... s).
        if (localDue) {
            m.nextLocal = RetrySchedule.nextAttemptMillis(m.birthMillis, now, true);
        }
        if (remoteDue) {
            m.nextRemote = RetrySchedule.nextAttemptMillis(m.birthMillis, now, false);
        }
        Map<String, Group> localGroups = new LinkedHashMap<>();
        Map<String, Group> remoteGroups = new LinkedHashMap<>();
        List<String> recipients = m.recipients();
        for (int i = 0; i < recipients.size(); i++) {
            if (m.isDone(i)) {
                continue;
            }
            String r = recipients.get(i);
            boolean local = isLocal.test(r);
            if (local ? localDue : remoteDue) {
                (local ? localGroups : remoteGroups).computeIfAbsent(destinationOf.apply(r), d -> new Group()).add(i);
            }
        }
        // qmail-send's flagdying: past queuelifetime at the start of the attempt means a last try.
        boolean lastTry = RetrySchedule.expired(m.birthMillis, now, options.queueLifetime());
        if (!submitRound(m, localGroups, true, lastTry) && localDue) {
            m.nextLocal = QueuedMessage.NEVER;
        }
        if (!submitRound(m, remoteGroups, false, lastTry) && remoteDue) {
            m.nextRemote = QueuedMessage.NEVER;
        }
        settle(m, now);
    }

    /** Queues the round's jobs; false if the channel has nothing pending. */
    private boolean submitRound(QueuedMessage m, Map<String, Group> groups, boolean local, boolean lastTry) {
        if (groups.isEmpty()) {
            return false;
        }
        int attempt = m.startRound(local);
        if (local) {
            m.runningLocal += groups.size();
        } else {
            m.runningRemote += groups.size();
        }
        groups.forEach((destination, g) -> dispatch.submit(destination, local,
                new DispatchQueues.PendingJob(m, g.toArray(), attempt, lastTry)));
        return true;
    }

    /** A job got its slots: start the agent on it. */
    private void launch(DispatchQueues.Lane lane, DispatchQueues.PendingJob p) {
        QueuedMessage m = p.message();
        List<String> all = m.recipients();
        List<String> recipients = new ArrayList<>(p.recipientIndexes().length);
        for (int i : p.recipientIndexes()) {
            recipients.add(all.get(i));
        }
        DeliveryJob job = new DeliveryJob(++lastDeliveryId, m.id, m.birthMillis, lane.destination, lane.local,
                p.recipientIndexes(), List.copyOf(recipients), p.attempt(), p.lastTry());
        emit(new DeliveryEvent.Started(job.deliveryId(), m.id, job.destination(), job.local(), job.recipients()));
        Disposable[] handle = new Disposable[1];
        Disposable d = runner.run(agent, job).subscribe(result -> postUnlessClosed(() -> {
            running.remove(handle[0]);
            finished(lane, m, job, result);
        }));
        if (!d.isDisposed()) {
            handle[0] = d;
            running.add(d);
        }
    }

    private void finished(DispatchQueues.Lane lane, QueuedMessage m, DeliveryJob job, AttemptRunner.Result result) {
        dispatch.finished(lane);
        attemptsFinished++;
        emit(new DeliveryEvent.Finished(job.deliveryId(), m.id, result.outcomes()));
        boolean deferred = false;
        for (int k = 0; k < job.recipientIndexes().length; k++) {
            RecipientOutcome o = result.outcomes().get(k);
            if (!result.recorded() || o instanceof RecipientOutcome.Deferred) {
                deferred = true;
                continue;
            }
            int index = job.recipientIndexes()[k];
            m.markDone(index);
            if (o instanceof RecipientOutcome.Failed) {
                m.failed(index, job.recipients().get(k), o.text());
            }
        }
        // The round's end keeps the retry time fixed at its start only if something was deferred.
        if (job.local()) {
            m.flags |= deferred ? FLAG_DEFERRED_LOCAL : 0;
            if (--m.runningLocal == 0) {
                if ((m.flags & FLAG_DEFERRED_LOCAL) == 0) {
                    m.nextLocal = QueuedMessage.NEVER;
                }
                m.flags &= ~FLAG_DEFERRED_LOCAL;
            }
        } else {
            m.flags |= deferred ? FLAG_DEFERRED_REMOTE : 0;
            if (--m.runningRemote == 0) {
                if ((m.flags & FLAG_DEFERRED_REMOTE) == 0) {
                    m.nextRemote = QueuedMessage.NEVER;
                }
                m.flags &= ~FLAG_DEFERRED_REMOTE;
            }
        }
        settle(m, now());
    }

    /**
     * After a round started or a job ended: a bounce for new failures once no job of the message
     * runs, then either the message is done or it waits in the heap for its next time.
     */
    private void settle(QueuedMessage m, long now) {
        if (m.idle() && m.failures != null) {
            emit(new DeliveryEvent.BounceNeeded(m.id, List.copyOf(m.failures)));
            m.failures = null;
        }
        if (m.idle() && m.due() == QueuedMessage.NEVER) {
            if (m.allDone()) {
                heap.remove(m);
                queued--;
                messagesDone++;
                emit(new DeliveryEvent.MessageDone(m.id));
                return;
            }
            // Pending but on no schedule (routing moved a recipient to the other channel): both
            // channels retry on their curves so the recipient is found on either.
            m.nextLocal = RetrySchedule.nextAttemptMillis(m.birthMillis, now, true);
            m.nextRemote = RetrySchedule.nextAttemptMillis(m.birthMillis, now, false);
        }
        if (m.due() == QueuedMessage.NEVER) {
            heap.remove(m);
        } else {
            heap.upsert(m);
        }
        armTimer();
    }

    private void emit(DeliveryEvent event) {
        if (events.tryEmitNext(event).isFailure()) {
            eventsDropped++;
        }
    }

    /** Recipient indexes of one (message, destination) job, growing as recipients are grouped. */
    private static final class Group {
        /**
         * The indexes of a job for the first recipient alone, the commonest job: shared, since a
         * backlog of a million waiting jobs would otherwise hold a million copies of it.
         */
        private static final int[] FIRST_ONLY = {0};

        private int[] indexes = new int[2];
        private int size;

        void add(int index) {
            if (size == indexes.length) {
                indexes = java.util.Arrays.copyOf(indexes, size * 2);
            }
            indexes[size++] = index;
        }

        int[] toArray() {
            if (size == 1 && indexes[0] == 0) {
                return FIRST_ONLY; // jobs never modify their indexes (DeliveryJob)
            }
            return java.util.Arrays.copyOf(indexes, size);
        }
    }
}
