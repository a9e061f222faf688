package dev.qflux.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Many SMTP sessions at once, each sending numbered messages and recording which ones the server
 * acknowledged with {@code 250} after the final dot. Each message carries a unique
 * {@code Message-ID: <n.session@load.test>}, a unique Subject, and ends with a marker line, so a
 * test that kills the server can check afterwards that every acknowledged message is in the spool
 * once, and that no spooled message lacks its end. Sessions run on their own plain threads and
 * stop at their first connection error (which is what a crash looks like from here).
 */
public final class RecordingLoadClient {
    /** Body lines per message (about 1.5 KB with headers); a leading dot tests dot-stuffing. */
    private static final int BODY_LINES = 24;

    private final int port;
    private final int sessions;
    /** Number of the first session: a second client after a restart numbers its messages apart. */
    private final int firstSession;
    private final int messagesPerSession;
    private final String sender;
    private final String recipient;
    private final List<Thread> threads = new ArrayList<>();
    // Guarded by this: the sets and counters below, waited on with wait/notifyAll.
    private final Set<String> acknowledged = new HashSet<>();
    private final Set<String> dotSent = new HashSet<>();
    private final List<String> refusals = new ArrayList<>();
    private final List<String> sessionEnds = new ArrayList<>();
    private int running;

    public RecordingLoadClient(int port, int sessions, int messagesPerSession, String sender,
                               String recipient) {
        this(port, 0, sessions, messagesPerSession, sender, recipient);
    }

    /** Sessions numbered from {@code firstSession}, so their Message-IDs differ from another client's. */
    public RecordingLoadClient(int port, int firstSession, int sessions, int messagesPerSession, String sender,
                               String recipient) {
        this.port = port;
        this.firstSession = firstSession;
        this.sessions = sessions;
        this.messagesPerSession = messagesPerSession;
        this.sender = sender;
        this.recipient = recipient;
    }

    /** The Message-ID (with angle brackets) of message n of a session. */
    public static String messageId(int n, int session) {
        return "<" + n + "." + session + "@load.test>";
    }

    /** The last line of every message's body: present only if the message arrived whole. */
    public static String endMarker(String messageId) {
        return "end of message " + messageId;
    }

    /** Starts every session; returns at once. */
    public synchronized RecordingLoadClient start() {
        for (int s = firstSession; s < firstSession + sessions; s++) {
            int session = s;
            Thread t = new Thread(() -> runSession(session), "load-session-" + s);
            t.setDaemon(true);
            threads.add(t);
            running++;
        }
        threads.forEach(Thread::start);
        return this;
    }

    /** Waits until at least n messages were acknowledged; fails if every session ended first. */
    public synchronized void awaitAcknowledged(int n, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (acknowledged.size() < n) {
            long left = deadline - System.nanoTime();
            if (running == 0 || left <= 0) {
                throw new AssertionError("only " + acknowledged.size() + " of " + n
                        + " messages acknowledged; sessions ended: " + sessionEnds);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits until every session has ended (finished its messages or lost its connection). */
    public synchronized void awaitFinished(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (running > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(running + " sessions still running after " + bound);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** True once every session has ended. */
    public synchronized boolean isFinished() {
        return running == 0;
    }

    /** Message-IDs the server answered 250 after the final dot. */
    public synchronized Set<String> acknowledged() {
        return Set.copyOf(acknowledged);
    }

    /** Message-IDs whose final dot was (at least partly) written: only these may be spooled. */
    public synchronized Set<String> dotSent() {
        return Set.copyOf(dotSent);
    }

    /** Non-250 replies after the final dot, as "id: reply". */
    public synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    /** How each session ended ("finished" or the error that stopped it). */
    public synchronized List<String> sessionEnds() {
        return List.copyOf(sessionEnds);
    }

    private void runSession(int session) {
        String end = "finished";
        try (RawSmtpClient c = RawSmtpClient.connect(port)) {
            c.expectReply(220);
            c.expect(250, "EHLO load" + session + ".test");
            for (int n = 1; n <= messagesPerSession; n++) {
                sendOne(c, n, session);
            }
            c.command("QUIT");
        } catch (IOException | RuntimeException | AssertionError e) {
            end = "session " + session + ": " + e.getClass().getSimpleName() + ": " + firstLine(e);
        } finally {
            synchronized (this) {
                sessionEnds.add(end);
                running--;
                notifyAll();
            }
        }
    }

    private void sendOne(RawSmtpClient c, int n, int session) throws IOException {
        String id = messageId(n, session);
        c.expect(250, "MAIL FROM:<" + sender + ">");
        c.expect(250, "RCPT TO:<" + recipient + ">");
        c.expect(354, "DATA");
        byte[][] halves = message(id, n, session);
        // Two writes with a flush between: a kill lands mid-DATA more often.
        c.write(halves[0]);
        synchronized (this) {
            dotSent.add(id);
        }
        c.write(halves[1]);
        RawSmtpClient.Reply reply = c.readReply();
        synchronized (this) {
            if (reply.code() == 250) {
                acknowledged.add(id);
                notifyAll();
            } else {
                refusals.add(id + ": " + reply.text());
            }
        }
        if (reply.code() != 250) {
            c.command("RSET");
        }
    }

    /** The message as two byte arrays: the first without, the second with the final dot. */
    private byte[][] message(String id, int n, int session) {
        StringBuilder first = new StringBuilder()
                .append("Message-ID: ").append(id).append("\r\n")
                .append("Subject: load message ").append(n).append(" of session ").append(session).append("\r\n")
                .append("From: <").append(sender).append(">\r\n")
                .append("To: <").append(recipient).append(">\r\n")
                .append("\r\n");
        StringBuilder second = new StringBuilder();
        for (int i = 0; i < BODY_LINES; i++) {
            StringBuilder target = i < BODY_LINES / 2 ? first : second;
            if (i == BODY_LINES / 2) {
                target.append("..a line that starts with a dot\r\n");
            }
            target.append(String.format(Locale.ROOT,
                    "line %02d of %s: the quick brown fox jumps over the lazy dog\r\n", i, id));
        }
        second.append(endMarker(id)).append("\r\n.\r\n");
        return new byte[][] {
            first.toString().getBytes(StandardCharsets.US_ASCII),
            second.toString().getBytes(StandardCharsets.US_ASCII)
        };
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
