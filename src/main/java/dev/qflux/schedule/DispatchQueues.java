package dev.qflux.schedule;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Jobs waiting for a slot, one FIFO lane per destination, and the slots themselves: a job starts
 * only while its channel is below {@code concurrencyremote}/{@code concurrencylocal} and (remote)
 * its destination below the per-destination limit. Lanes that could start a job take turns in a
 * ring per channel, so a saturated or dead destination keeps its jobs in its own lane and never
 * stands in front of another destination's (design.md invariant 6). A lane disappears when it has
 * nothing waiting or running, so memory follows the work, not the history.
 *
 * <p>Confined to the scheduler's worker; only {@link #inFlightPerDestination()} and the counters
 * are read from other threads (for stats).
 */
final class DispatchQueues {

    /** One attempt waiting for a slot: kept lean, the recipients are decoded only when it starts. */
    record PendingJob(QueuedMessage message, int[] recipientIndexes, int attempt, boolean lastTry) {
    }

    /** Starts a job that got a slot; the lane is handed back through {@link #finished(Lane)}. */
    interface Launcher {
        void launch(Lane lane, PendingJob job);
    }

    static final class Lane {
        final String destination;
        final boolean local;
        final ArrayDeque<PendingJob> waiting = new ArrayDeque<>();
        volatile int inFlight;
        boolean inRing;

        Lane(String destination, boolean local) {
            this.destination = destination;
            this.local = local;
        }
    }

    private static final class Channel {
        final Map<String, Lane> lanes = new ConcurrentHashMap<>();
        final ArrayDeque<Lane> ring = new ArrayDeque<>();
        volatile int inFlight;
        int limit;
        int laneLimit;
    }

    private final Channel local = new Channel();
    private final Channel remote = new Channel();
    private final Launcher launcher;
    /** Destinations the operator holds: their jobs wait in their lanes, nothing starts. */
    private final java.util.Set<String> held = new java.util.HashSet<>();
    private volatile int waiting;

    DispatchQueues(SchedulerOptions options, Launcher launcher) {
        this.launcher = launcher;
        setLimits(options);
    }

    void setLimits(SchedulerOptions options) {
        remote.limit = options.concurrencyRemote();
        remote.laneLimit = options.perDestination();
        local.limit = options.concurrencyLocal();
        // Local deliveries share one limit, concurrencylocal, as in qmail-lspawn.
        local.laneLimit = Integer.MAX_VALUE;
        startWhatFits(local);
        startWhatFits(remote);
    }

    /** Queues a job behind its destination's others and starts what the limits allow. */
    void submit(String destination, boolean isLocal, PendingJob job) {
        Channel ch = isLocal ? local : remote;
        Lane lane = ch.lanes.computeIfAbsent(destination, d -> new Lane(d, isLocal));
        lane.waiting.add(job);
        waiting++;
        offer(ch, lane);
        startWhatFits(ch);
    }

    /** A started job ended: its slots are free again. */
    void finished(Lane lane) {
        Channel ch = lane.local ? local : remote;
        lane.inFlight--;
        ch.inFlight--;
        if (lane.inFlight == 0 && lane.waiting.isEmpty()) {
            ch.lanes.remove(lane.destination);
        } else {
            offer(ch, lane);
        }
        startWhatFits(ch);
    }

    /** {@code hold}: no new job starts for the destination; running ones finish. Release restarts it. */
    void hold(String destination, boolean on) {
        if (on) {
            held.add(destination);
            return;
        }
        if (held.remove(destination)) {
            for (Channel ch : new Channel[] {local, remote}) {
                Lane lane = ch.lanes.get(destination);
                if (lane != null) {
                    offer(ch, lane);
                }
                startWhatFits(ch);
            }
        }
    }

    /** The message that has a job waiting for a slot under this id, or null (a scan: admin use only). */
    QueuedMessage findWaiting(long messageId) {
        for (Channel ch : new Channel[] {local, remote}) {
            for (Lane lane : ch.lanes.values()) {
                for (PendingJob job : lane.waiting) {
                    if (job.message().id == messageId) {
                        return job.message();
                    }
                }
            }
        }
        return null;
    }

    /** How many jobs of the message wait for a slot on one channel. */
    int waitingJobs(QueuedMessage m, boolean isLocal) {
        int n = 0;
        for (Lane lane : (isLocal ? local : remote).lanes.values()) {
            for (PendingJob job : lane.waiting) {
                n += job.message() == m ? 1 : 0;
            }
        }
        return n;
    }

    /** Drops every waiting job of the message: its recipients were settled another way. */
    void withdraw(QueuedMessage m) {
        for (Channel ch : new Channel[] {local, remote}) {
            for (Lane lane : ch.lanes.values()) {
                int before = lane.waiting.size();
                lane.waiting.removeIf(job -> job.message() == m);
                waiting -= before - lane.waiting.size();
                if (lane.waiting.isEmpty()) {
                    if (lane.inRing) {
                        ch.ring.remove(lane);
                        lane.inRing = false;
                    }
                    if (lane.inFlight == 0) {
                        ch.lanes.remove(lane.destination);
                    }
                }
            }
        }
    }

    int waiting() {
        return waiting;
    }

    int inFlight(boolean isLocal) {
        return (isLocal ? local : remote).inFlight;
    }

    /** Running attempts per destination, sorted by name; read from any thread. */
    Map<String, Integer> inFlightPerDestination() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Channel ch : new Channel[] {local, remote}) {
            for (Lane lane : ch.lanes.values()) {
                int n = lane.inFlight;
                if (n > 0) {
                    counts.merge(lane.destination, n, Integer::sum);
                }
            }
        }
        return counts;
    }

    private void offer(Channel ch, Lane lane) {
        if (!lane.inRing && !lane.waiting.isEmpty() && lane.inFlight < ch.laneLimit
                && !held.contains(lane.destination)) {
            lane.inRing = true;
            ch.ring.add(lane);
        }
    }

    /** Round robin over the lanes that can start a job, while the channel has slots. */
    private void startWhatFits(Channel ch) {
        while (ch.inFlight < ch.limit && !ch.ring.isEmpty()) {
            Lane lane = ch.ring.poll();
            lane.inRing = false;
            if (held.contains(lane.destination)) {
                continue; // held after it joined the ring; release offers it again
            }
            PendingJob job = lane.waiting.poll();
            waiting--;
            lane.inFlight++;
            ch.inFlight++;
            offer(ch, lane);
            launcher.launch(lane, job);
        }
    }
}
