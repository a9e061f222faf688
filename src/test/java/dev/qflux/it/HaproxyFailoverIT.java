package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.AdminCurl;
import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Haproxy;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two qflux nodes behind HAProxy (TCP mode, send-proxy-v2, {@code option httpchk GET /ready}
 * against each node's admin port). While clients keep sending through HAProxy, one connection per
 * message, node a is taken out with {@code qflux stop}: its /ready answers 503, HAProxy marks it
 * down, its open sessions finish, and from then on node b takes every message. No transaction a
 * client started fails, and every acknowledged message is in exactly one node's spool.
 *
 * <p>The nodes run with control/stopgrace: a stopping node reports 503 on /ready but keeps
 * accepting for a few seconds, so HAProxy takes it out before its listener closes and no client
 * is refused at all. (Without it, a session HAProxy handed over just before the stop and that had
 * not yet sent MAIL would get {@code 421 4.3.2}; the test's client would try again elsewhere, as
 * any SMTP client does, and the assertion on retries below would fail.)
 */
class HaproxyFailoverIT {
    private static final int CLIENTS = 3;
    /** Far above HAProxy's check interval here (200 ms, fall 1), for a busy machine. */
    private static final int STOP_GRACE_SECONDS = 5;
    /** Messages acknowledged before the stop, so both nodes have taken some. */
    private static final int BEFORE_STOP = 40;
    /** Messages acknowledged after node a exited: the traffic node b takes alone. */
    private static final int AFTER_STOP = 40;
    /** Tries per message when refused before its transaction started (connect, greeting, MAIL). */
    private static final int ATTEMPTS = 5;
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String RECIPIENT = "rcpt@" + TestConf.ME;

    @TempDir
    Path dir;

    @Test
    void stoppingOneNodeLosesNoClientTransaction() throws Exception {
        Node a = Node.in(dir.resolve("a"));
        Node b = Node.in(dir.resolve("b"));
        int front = FreePort.pick();
        try (QfluxProcess qa = QfluxProcess.start(a.paths); QfluxProcess qb = QfluxProcess.start(b.paths)) {
            // The listeners wait for a PROXY header from 127.0.0.1, so no plain greeting: ask /ready.
            qa.awaitCondition(QfluxProcess.START_BOUND, a::ready, "node a never ready");
            qb.awaitCondition(QfluxProcess.START_BOUND, b::ready, "node b never ready");
            try (Haproxy haproxy = Haproxy.start(dir.resolve("haproxy"), front, config(front, a, b))) {
                LoadThroughProxy load = new LoadThroughProxy(front).start();
                load.awaitAcknowledged(BEFORE_STOP);

                ExternalProcess.Result stop = qa.run("stop");
                assertThat(stop.exitCode()).as(stop.describe() + "\n" + qa.log()).isZero();
                assertThat(qa.isAlive()).isFalse();
                Set<String> beforeExit = load.acknowledged();
                int atStop = beforeExit.size();
                qb.awaitCondition(BOUND, () -> haproxy.output().contains("qflux/a is DOWN"),
                        "HAProxy never marked node a down:\n" + haproxy.output());
                load.awaitAcknowledged(atStop + AFTER_STOP);
                load.finish();

                assertThat(load.failures()).as("transactions that failed once started").isEmpty();
                assertThat(load.gaveUp()).as("messages never acknowledged").isEmpty();
                assertThat(qa.log()).contains("status: stopping: ", "status: exiting");
                qb.stop();

                Set<String> inA = spooledIds(a);
                Set<String> inB = spooledIds(b);
                Set<String> both = new TreeSet<>(inA);
                both.retainAll(inB);
                Set<String> spooled = new HashSet<>(inA);
                spooled.addAll(inB);
                Set<String> lost = new TreeSet<>(load.acknowledged());
                lost.removeAll(spooled);
                String summary = load.acknowledged().size() + " acknowledged, " + inA.size() + " on a, "
                        + inB.size() + " on b, tried again before MAIL was taken: " + load.retries();
                System.out.println("HaproxyFailoverIT: " + summary);

                assertThat(inA).as("node a took traffic before its stop; " + summary).isNotEmpty();
                assertThat(lost).as("acknowledged but in neither spool; " + summary).isEmpty();
                assertThat(both).as("spooled on both nodes; " + summary).isEmpty();
                // Acknowledged after node a had exited: node b took them all.
                Set<String> late = new TreeSet<>(load.acknowledged());
                late.removeAll(beforeExit);
                assertThat(late).as(summary).hasSizeGreaterThanOrEqualTo(AFTER_STOP);
                assertThat(inB).as(summary).containsAll(late);
                assertThat(load.retries()).as("no client refused during the stop; " + summary).isEmpty();
                assertThat(inA).as(summary).doesNotContainAnyElementsOf(late);
            }
        }
    }

    /** One qflux node: an SMTP listener that trusts PROXY headers from 127.0.0.1, its admin port. */
    private record Node(TestConf.Paths paths, int smtpPort, int adminPort) {
        static Node in(Path root) {
            int port = FreePort.pick();
            TestConf conf = TestConf.in(root).listenBehindProxy(port, "127.0.0.1/32")
                    .control("draintimeout", "60")
                    .control("stopgrace", Integer.toString(STOP_GRACE_SECONDS));
            return new Node(conf.write(), port, conf.adminPort());
        }

        boolean ready() {
            return AdminCurl.of(paths, adminPort).anonymous("GET", "/ready").status() == 200;
        }
    }

    /**
     * Checks every 200 ms, one failure marks a server down: a node's 503 takes it out at once.
     * {@code option redispatch 1}: a connection the stopped node refuses goes to the other.
     */
    private static String config(int front, Node a, Node b) {
        return String.join("\n",
                "global",
                "    maxconn 256",
                "defaults",
                "    mode tcp",
                "    timeout connect 5s",
                "    timeout client 120s",
                "    timeout server 120s",
                "    timeout check 5s",
                "    retries 3",
                "    option redispatch 1",
                "frontend smtp_in",
                "    bind 127.0.0.1:" + front,
                "    default_backend qflux",
                "backend qflux",
                "    balance roundrobin",
                "    option httpchk GET /ready",
                "    default-server inter 200ms fall 1 rise 1",
                "    server a 127.0.0.1:" + a.smtpPort + " send-proxy-v2 check port " + a.adminPort,
                "    server b 127.0.0.1:" + b.smtpPort + " send-proxy-v2 check port " + b.adminPort,
                "");
    }

    private static Set<String> spooledIds(Node node) {
        Set<String> ids = new HashSet<>();
        for (SpooledMessage m : SpoolInspector.scan(node.paths.queueDir())) {
            ids.add(m.messageId().orElseThrow().strip());
        }
        return ids;
    }

    /**
     * Clients on plain threads, each sending one message per connection until told to finish. A
     * refusal before MAIL was taken (connection refused or closed, 421 to the greeting or to
     * MAIL) is tried again; any failure once MAIL was taken is recorded as a failed transaction.
     */
    private static final class LoadThroughProxy {
        private final int port;
        private final List<Thread> threads = new ArrayList<>();
        // Guarded by this.
        private final Set<String> acknowledged = new HashSet<>();
        private final List<String> failures = new ArrayList<>();
        private final List<String> gaveUp = new ArrayList<>();
        /** Why a message was tried again: "greeting 421", "MAIL 421", or the connection error. */
        private final List<String> retries = new ArrayList<>();
        private volatile boolean finishing;

        LoadThroughProxy(int port) {
            this.port = port;
        }

        LoadThroughProxy start() {
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread t = new Thread(() -> run(client), "failover-client-" + c);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            return this;
        }

        synchronized void awaitAcknowledged(int n) throws InterruptedException {
            long deadline = System.nanoTime() + BOUND.toNanos();
            while (acknowledged.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("only " + acknowledged.size() + " of " + n
                            + " acknowledged; failures " + failures + ", gave up " + gaveUp);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        void finish() throws InterruptedException {
            finishing = true;
            for (Thread t : threads) {
                t.join(BOUND.toMillis());
                assertThat(t.isAlive()).as(t.getName() + " still sending").isFalse();
            }
        }

        synchronized Set<String> acknowledged() {
            return Set.copyOf(acknowledged);
        }

        synchronized List<String> failures() {
            return List.copyOf(failures);
        }

        synchronized List<String> gaveUp() {
            return List.copyOf(gaveUp);
        }

        synchronized List<String> retries() {
            return List.copyOf(retries);
        }

        private synchronized boolean retry(String why) {
            retries.add(why);
            return false;
        }

        private void run(int client) {
            for (int n = 1; !finishing; n++) {
                String id = "<" + n + "." + client + "@failover.test>";
                boolean sent = false;
                for (int attempt = 1; attempt <= ATTEMPTS && !sent; attempt++) {
                    sent = sendOnce(id);
                }
                if (!sent) {
                    synchronized (this) {
                        gaveUp.add(id);
                    }
                }
            }
        }

        /** False if refused before the transaction started (worth another try); true otherwise. */
        private boolean sendOnce(String id) {
            boolean started = false;
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                RawSmtpClient.Reply greeting = c.readReply();
                if (greeting.code() != 220) {
                    return retry("greeting " + greeting.code());
                }
                c.expect(250, "EHLO failover.client.test");
                RawSmtpClient.Reply mail = c.command("MAIL FROM:<sender@client.test>");
                if (mail.code() == 421) {
                    return retry("MAIL 421");
                }
                started = true;
                expect(mail, 250, id);
                expect(c.command("RCPT TO:<" + RECIPIENT + ">"), 250, id);
                expect(c.command("DATA"), 354, id);
                c.write(RawSmtpClient.dotStuffed("Message-ID: " + id + "\r\nSubject: failover\r\n\r\nbody of "
                        + id + "\r\n"));
                expect(c.readReply(), 250, id);
                synchronized (this) {
                    acknowledged.add(id);
                    notifyAll();
                }
                c.command("QUIT");
                return true;
            } catch (IOException | RuntimeException | AssertionError e) {
                if (!started) {
                    return retry(e.getClass().getSimpleName() + ": " + e.getMessage());
                }
                synchronized (this) {
                    if (!acknowledged.contains(id)) {
                        failures.add(id + ": " + e);
                    }
                    notifyAll();
                }
                return true;
            }
        }

        private static void expect(RawSmtpClient.Reply reply, int code, String id) {
            if (reply.code() != code) {
                throw new AssertionError(id + ": expected " + code + ", got " + reply.code() + " " + reply.text());
            }
        }
    }
}
