package dev.qflux.it.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * An outside program run by a test: either to completion with a timeout ({@link #run}), or in the
 * background until stopped by its PID ({@link #start}). Output goes to files, never to pipes, so a
 * chatty program cannot stall on a full pipe while the test waits for it.
 */
public final class ExternalProcess implements AutoCloseable {
    /** How long a stopped program gets to exit after SIGTERM before it is killed. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);
    /** Poll step while waiting for a condition; each step is a wait on the process's own exit. */
    private static final long POLL_MILLIS = 50;
    private static final File NO_INPUT = new File("/dev/null");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** What a finished program left behind. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        /** Command, exit code and both outputs, for assertion messages. */
        public String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + "\n--- stdout\n" + stdout
                    + "\n--- stderr\n" + stderr;
        }

        public String output() {
            return stdout + stderr;
        }
    }

    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private ExternalProcess(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Runs the command to completion; a program still running after the timeout fails the test. */
    public static Result run(Duration timeout, List<String> command) {
        return run(timeout, Map.of(), command);
    }

    /** As {@link #run(Duration, List)}, with extra environment variables. */
    public static Result run(Duration timeout, Map<String, String> env, List<String> command) {
        try {
            Path dir = Files.createTempDirectory("qflux-it-run");
            try (ExternalProcess p = start(command.get(0), dir, env, command)) {
                if (!p.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.process.destroyForcibly().waitFor();
                    throw new AssertionError("still running after " + timeout + ": "
                            + String.join(" ", command) + "\n" + p.output());
                }
                return new Result(List.copyOf(command), p.process.exitValue(),
                        read(p.stdout), read(p.stderr));
            } finally {
                deleteTree(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    /** Starts a long-running program whose stdout and stderr go to files under logDir. */
    public static ExternalProcess start(String name, Path logDir, List<String> command) {
        return start(name, logDir, Map.of(), command);
    }

    /** As {@link #start(String, Path, List)}, with extra environment variables. */
    public static ExternalProcess start(String name, Path logDir, Map<String, String> env,
                                        List<String> command) {
        String base = Path.of(name).getFileName() + "-" + SEQUENCE.incrementAndGet();
        Path out = logDir.resolve(base + ".out");
        Path err = logDir.resolve(base + ".err");
        ProcessBuilder pb = new ProcessBuilder(command)
                .redirectInput(NO_INPUT)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().putAll(env);
        try {
            Files.createDirectories(logDir);
            return new ExternalProcess(name, pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
    }

    /** The underlying process, for callers in this package that signal it themselves. */
    Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** stdout then stderr as written so far. */
    public String output() {
        return read(stdout) + read(stderr);
    }

    public String stdout() {
        return read(stdout);
    }

    /**
     * Waits until the condition holds. Fails at once if the program exits first, and after the
     * bound otherwise; both failures carry the program's output.
     */
    public void awaitCondition(Duration bound, BooleanSupplier condition, String what) {
        awaitWhileAlive(process, bound, condition, () -> name + " " + what + "\n" + output());
    }

    /** Waits for the program to exit by itself; returns its exit code. */
    public int awaitExit(Duration bound) {
        try {
            if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " did not exit within " + bound + "\n" + output());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** SIGTERM, then SIGKILL if it lingers; returns the exit code. */
    public int stop() {
        return terminate(process, STOP_GRACE);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    static int terminate(Process process, Duration grace) {
        try {
            process.destroy();
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while stopping pid " + process.pid(), e);
        }
    }

    /**
     * Polls a condition while a process runs. The pause between polls is a bounded wait for that
     * process to exit, so its death is noticed at once instead of after the whole bound.
     */
    static void awaitWhileAlive(Process process, Duration bound, BooleanSupplier condition,
                                java.util.function.Supplier<String> describe) {
        long deadline = System.nanoTime() + bound.toNanos();
        try {
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("timed out after " + bound + ": " + describe.get());
                }
                if (process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("process exited with " + process.exitValue()
                            + " while waiting: " + describe.get());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String read(Path file) {
        try {
            // Lenient decoding: a peer may print bytes that are not UTF-8.
            return Files.exists(file) ? new String(Files.readAllBytes(file), StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
