package dev.qflux.daemon;

import dev.qflux.admin.DaemonControl;
import dev.qflux.admin.Json;
import dev.qflux.schedule.Scheduler.Finish;
import dev.qflux.schedule.SchedulerStats;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.SpoolReader;
import dev.qflux.spool.SpoolStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/** The admin endpoint's view of a {@link Daemon}: its verbs, and its state as JSON. */
final class DaemonAdmin implements DaemonControl {
    /** Destinations listed by /stat (and so by {@code qflux top}), busiest first. */
    static final int STAT_DESTINATIONS = 10;

    private final Daemon daemon;

    DaemonAdmin(Daemon daemon) {
        this.daemon = daemon;
    }

    @Override
    public boolean ready() {
        return daemon.ready();
    }

    @Override
    public String statJson() {
        SpoolStats spool = daemon.spool().stats();
        SchedulerStats sched = daemon.delivery().stats();
        StringJoiner listeners = new StringJoiner(",", "[", "]");
        for (InetSocketAddress a : daemon.smtp().addresses()) {
            listeners.add(Json.quote(a.getAddress().getHostAddress() + ":" + a.getPort() + " smtp"));
        }
        InetSocketAddress admin = daemon.admin().address();
        listeners.add(Json.quote(admin.getAddress().getHostAddress() + ":" + admin.getPort() + " admin"));
        long uptime = (System.currentTimeMillis() - daemon.startedMillis()) / 1000;
        return "{\"pid\":" + ProcessHandle.current().pid()
                + ",\"uptime\":" + uptime
                + ",\"listeners\":" + listeners
                + ",\"paused\":" + daemon.paused()
                + ",\"smtpPaused\":" + daemon.server().mailPaused()
                + ",\"draining\":" + daemon.draining()
                + ",\"queue\":" + daemon.spool().queuedMessages()
                + ",\"sessions\":" + daemon.server().openSessions()
                + ",\"sessionsStarted\":" + daemon.server().sessionsStarted()
                + ",\"accepted\":" + spool.accepted()
                + ",\"acceptedBytes\":" + spool.bytes()
                + ",\"deliveriesInFlight\":" + (sched.inFlightRemote() + sched.inFlightLocal())
                + ",\"deliveriesPending\":" + sched.pendingJobs()
                + ",\"attemptsFinished\":" + sched.attemptsFinished()
                + ",\"messagesDone\":" + sched.messagesDone()
                + ",\"destinations\":" + destinations(sched.inFlightPerDestination(),
                        daemon.metrics().lastDeferrals())
                + "}";
    }

    private static String destinations(Map<String, Integer> inFlight, Map<String, String> deferrals) {
        Map<String, Integer> all = new HashMap<>();
        deferrals.keySet().forEach(d -> all.put(d, 0));
        all.putAll(inFlight);
        List<Map.Entry<String, Integer>> busiest = new ArrayList<>(all.entrySet());
        busiest.sort(Map.Entry.<String, Integer>comparingByValue().reversed()
                .thenComparing(Map.Entry.comparingByKey()));
        StringJoiner out = new StringJoiner(",", "[", "]");
        for (Map.Entry<String, Integer> e : busiest.subList(0, Math.min(STAT_DESTINATIONS, busiest.size()))) {
            String reason = deferrals.get(e.getKey());
            out.add("{\"destination\":" + Json.quote(e.getKey()) + ",\"inFlight\":" + e.getValue()
                    + ",\"lastDeferral\":" + (reason == null ? "null" : Json.quote(reason)) + "}");
        }
        return out.toString();
    }

    @Override
    public String queueJson(int limit) throws IOException {
        List<QueueEntry> queue = SpoolReader.scan(daemon.config().queueDir());
        StringJoiner messages = new StringJoiner(",", "[", "]");
        for (QueueEntry e : queue.subList(0, Math.min(limit, queue.size()))) {
            StringJoiner rcpts = new StringJoiner(",", "[", "]");
            for (int i = 0; i < e.recipients().size(); i++) {
                rcpts.add("{\"address\":" + Json.quote(e.recipients().get(i)) + ",\"done\":"
                        + e.isDone(i) + "}");
            }
            messages.add("{\"id\":" + e.id() + ",\"birth\":" + e.birthMillis() + ",\"bytes\":" + e.bytes()
                    + ",\"sender\":" + Json.quote(e.sender()) + ",\"recipients\":" + rcpts + "}");
        }
        return "{\"total\":" + queue.size() + ",\"messages\":" + messages + "}";
    }

    @Override
    public String metrics() {
        return daemon.metrics().scrape();
    }

    @Override
    public void pause(boolean smtp) {
        daemon.pause(smtp);
    }

    @Override
    public void cont() {
        daemon.cont();
    }

    @Override
    public void doqueue() {
        daemon.doqueue();
    }

    @Override
    public boolean flush(long messageId) {
        return daemon.flush(messageId);
    }

    @Override
    public QueueAction bounce(long messageId) {
        return action(daemon.bounce(messageId));
    }

    @Override
    public QueueAction delete(long messageId) {
        return action(daemon.delete(messageId));
    }

    private static QueueAction action(Finish f) {
        if (f == Finish.DONE) {
            return QueueAction.DONE;
        } else if (f == Finish.NOT_QUEUED) {
            return QueueAction.NOT_QUEUED;
        } else if (f == Finish.BUSY) {
            return QueueAction.BUSY;
        }
        return QueueAction.FAILED;
    }

    @Override
    public void hold(String destination, boolean on) {
        daemon.hold(destination, on);
    }

    @Override
    public Optional<String> reload() {
        return daemon.reload();
    }

    @Override
    public void stop() {
        daemon.requestStop();
    }
}
