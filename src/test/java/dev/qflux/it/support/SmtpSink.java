package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Postfix's smtp-sink on 127.0.0.1:port, a receiving server for relay tests, stopped by its PID.
 * Each accepted transaction is dumped to its own file under a dump directory so tests can count
 * and read what arrived.
 */
public final class SmtpSink implements AutoCloseable {
    /** smtp-sink's listen backlog (its last argument). */
    private static final int BACKLOG = 100;
    private static final Duration START_BOUND = Duration.ofSeconds(30);
    /** Walks of the dump directory tried when files vanish under one. */
    private static final int WALK_ATTEMPTS = 5;

    private final ExternalProcess process;
    private final int port;
    private final Path dumpDir;

    private SmtpSink(ExternalProcess process, int port, Path dumpDir) {
        this.process = process;
        this.port = port;
        this.dumpDir = dumpDir;
    }

    /**
     * Starts smtp-sink on a port the caller picked, with extra options such as {@code -r RCPT}
     * (soft-reject a command) or {@code -Q} (421 and disconnect); returns once it listens.
     */
    public static SmtpSink start(Path workDir, int port, String... options) {
        return start(workDir, "127.0.0.1", port, options);
    }

    /** The same on another loopback address, e.g. 127.0.0.2:25 as the MX host of a test zone. */
    public static SmtpSink start(Path workDir, String host, int port, String... options) {
        String program = Tools.require("smtp-sink");
        FreePort.assertFree(port);
        Path dumps;
        try {
            // With -u the sink writes its dumps as that user, who cannot enter a private @TempDir:
            // the dumps go to a world-writable directory of their own in the system temp dir.
            dumps = Files.createTempDirectory("qflux-sink-" + port + "-");
            Files.setPosixFilePermissions(dumps, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(program, "-c", "-d", dumps + "/"));
        if (Tools.isRoot()) {
            cmd.addAll(List.of("-u", "nobody")); // smtp-sink refuses to run as root without it
        }
        cmd.addAll(List.of(options));
        cmd.add(host + ":" + port);
        cmd.add(Integer.toString(BACKLOG));
        ExternalProcess p = ExternalProcess.start("smtp-sink", workDir, cmd);
        p.awaitCondition(START_BOUND, () -> FreePort.isListening(port), "never listened on " + port);
        return new SmtpSink(p, port, dumps);
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The dump files of every transaction received so far. */
    public List<Path> dumps() {
        for (int attempt = 1; ; attempt++) {
            try (Stream<Path> files = Files.walk(dumpDir)) {
                return files.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException | UncheckedIOException e) {
                // smtp-sink renames its temporary files into place: one may vanish mid-walk.
                boolean vanished = (e instanceof NoSuchFileException)
                        || (e.getCause() instanceof NoSuchFileException);
                if (!vanished || attempt == WALK_ATTEMPTS) {
                    throw e instanceof IOException io ? new UncheckedIOException(io) : (UncheckedIOException) e;
                }
            }
        }
    }

    /** Waits until at least n transactions were dumped. */
    public void awaitDumps(int n, Duration bound) {
        process.awaitCondition(bound, () -> dumps().size() >= n, "received fewer than " + n
                + " messages (have " + dumps().size() + ")");
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
        try (Stream<Path> files = Files.walk(dumpDir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
