package dev.qflux.it.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * qflux as a real operating-system process, started from the packaged jar the way an operator runs
 * it ({@code java -jar qflux.jar start --conf DIR}), so tests can stop it with SIGTERM or kill it
 * with SIGKILL at any instant. Closing it always kills it.
 */
public final class QfluxProcess implements AutoCloseable {
    /** How long the JVM gets to start and bind its listeners on a loaded 2-core machine. */
    public static final Duration START_BOUND = Duration.ofSeconds(60);
    /** A clean stop on SIGTERM finishes in-flight writes; generous for a loaded machine. */
    public static final Duration STOP_BOUND = Duration.ofSeconds(60);
    /** Heap cap of the daemon under test: the spool must not need the bodies in memory. */
    private static final String HEAP = "-Xmx512m";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration VERB_BOUND = Duration.ofSeconds(120);
    private static final long POLL_MILLIS = 50;
    private static final Duration EXIT_GRACE = Duration.ofSeconds(10);
    private static final Pattern QSTAT_COUNT = Pattern.compile("messages in queue: (\\d+)");

    private final ExternalProcess process;
    private final Path confDir;

    private QfluxProcess(ExternalProcess process, Path confDir) {
        this.process = process;
        this.confDir = confDir;
    }

    /** The shaded jar Maven built (system property {@code qflux.jar}, set by Failsafe). */
    public static Path jar() {
        String jar = System.getProperty("qflux.jar");
        if (jar == null) {
            throw new AssertionError("system property qflux.jar is not set (run through mvn verify)");
        }
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new AssertionError("qflux jar not built: " + path);
        }
        return path;
    }

    /** Starts {@code qflux start --conf DIR}; extra JVM options go before {@code -jar}. */
    public static QfluxProcess start(TestConf.Paths conf, String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(javaExecutable());
        cmd.add(HEAP);
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-jar", jar().toString(), "start", "--conf", conf.confDir().toString()));
        return new QfluxProcess(ExternalProcess.start("qflux", conf.logDir(), cmd), conf.confDir());
    }

    /**
     * Waits until a connection to 127.0.0.1:port is greeted with a line starting {@code 220}.
     * Fails with qflux's log if the process exits first or the bound passes.
     */
    public QfluxProcess awaitListening(int port) {
        InetSocketAddress target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        process.awaitCondition(START_BOUND, () -> greets(target), "never greeted on port " + port);
        return this;
    }

    /** Waits (bounded) for a condition while qflux runs; fails with its log if it exits first. */
    public QfluxProcess awaitCondition(Duration bound, BooleanSupplier condition, String what) {
        process.awaitCondition(bound, condition, what);
        return this;
    }

    /** SIGTERM and wait; the contract is a clean exit with status 0. Returns the status. */
    public int stop() {
        int status = ExternalProcess.terminate(processHandle(), STOP_BOUND);
        if (status != 0) {
            throw new AssertionError("qflux exited with " + status + " on SIGTERM\n" + log());
        }
        return status;
    }

    /** SIGKILL, as a power cut would leave things; returns once the process is gone. */
    public int kill9() {
        Process p = processHandle();
        try {
            p.destroyForcibly();
            if (!p.waitFor(STOP_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("qflux survived SIGKILL for " + STOP_BOUND);
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the process to end by itself (e.g. a crash point it was told to halt at). */
    public int awaitExit(Duration bound) {
        return process.awaitExit(bound);
    }

    /**
     * Waits for the process to end by itself while {@code worthWaiting} holds (e.g. while load that
     * should reach a crash point is still running). Returns true if it ended.
     */
    public boolean awaitExitWhile(Duration bound, BooleanSupplier worthWaiting) {
        long deadline = System.nanoTime() + bound.toNanos();
        Process p = processHandle();
        try {
            while (System.nanoTime() - deadline < 0) {
                if (p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    return true;
                }
                if (!worthWaiting.getAsBoolean()) {
                    // Its clients may notice a death before the JVM reaps the process: allow a grace.
                    return p.waitFor(EXIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Lets the given time pass, failing at once if the process exits meanwhile. */
    public void assertStaysUp(Duration time) {
        if (awaitExitWhile(time, () -> true)) {
            throw new AssertionError("qflux exited with " + processHandle().exitValue() + "\n" + log());
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String log() {
        return process.output();
    }

    /** What the process wrote to stdout so far: its log lines. */
    public String stdout() {
        return process.stdout();
    }

    /** Number of messages {@code qflux qstat} reports for this conf. */
    public int qstat() {
        return qstat(confDir);
    }

    public String qread() {
        return qread(confDir);
    }

    /** Runs {@code qflux qstat --conf DIR} and returns "messages in queue: N". */
    public static int qstat(Path confDir) {
        ExternalProcess.Result r = verb("qstat", confDir);
        Matcher m = QSTAT_COUNT.matcher(r.stdout());
        if (r.exitCode() != 0 || !m.find()) {
            throw new AssertionError("qstat failed\n" + r.describe());
        }
        return Integer.parseInt(m.group(1));
    }

    /** Runs {@code qflux qread --conf DIR} and returns its output. */
    public static String qread(Path confDir) {
        ExternalProcess.Result r = verb("qread", confDir);
        if (r.exitCode() != 0) {
            throw new AssertionError("qread failed\n" + r.describe());
        }
        return r.stdout();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill9();
        }
    }

    /** Runs {@code qflux VERB --conf DIR ARGS...} against this process's conf. */
    public ExternalProcess.Result run(String verb, String... args) {
        return run(confDir, verb, args);
    }

    /** Runs {@code qflux VERB --conf DIR ARGS...} with the packaged jar. */
    public static ExternalProcess.Result run(Path confDir, String verb, String... args) {
        List<String> cmd = new ArrayList<>(List.of(javaExecutable(), HEAP, "-jar", jar().toString(), verb,
                "--conf", confDir.toString()));
        cmd.addAll(List.of(args));
        return ExternalProcess.run(VERB_BOUND, cmd);
    }

    /** SIGTERM without waiting, as an init system sends it. */
    public void signalTerm() {
        processHandle().toHandle().destroy();
    }

    private static ExternalProcess.Result verb(String verb, Path confDir) {
        return ExternalProcess.run(VERB_BOUND, List.of(javaExecutable(), HEAP, "-jar",
                jar().toString(), verb, "--conf", confDir.toString()));
    }

    private Process processHandle() {
        return process.process();
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** One probe: connect, read the first line, say QUIT. Any failure means "not yet". */
    static boolean greets(InetSocketAddress target) {
        try (Socket s = new Socket()) {
            s.connect(target, (int) CONNECT_TIMEOUT.toMillis());
            s.setSoTimeout((int) GREETING_TIMEOUT.toMillis());
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            String line = in.readLine();
            if (line == null || !line.startsWith("220")) {
                return false;
            }
            OutputStream out = s.getOutputStream();
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
