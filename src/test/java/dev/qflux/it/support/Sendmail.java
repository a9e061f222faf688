package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the real injection command as a local program would: {@code bin/sendmail} (the shell entry
 * point, with QFLUX_CONF) or {@code java -jar qflux.jar inject --conf DIR}, with given stdin.
 * Works whether or not a qflux daemon runs; {@link #maildropFiles} shows what waits for pickup.
 */
public final class Sendmail {
    /** One run: exit code, stdout (the -bs replies), stderr. */
    public record Result(List<String> command, int exitCode, String stdout, String stderr) {
        public String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String HEAP = "-Xmx256m";

    private Sendmail() {
    }

    /** {@code bin/sendmail ARGS < stdin}, with QFLUX_CONF pointing at the test's conf. */
    public static Result script(TestConf.Paths conf, String stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of("bin", "sendmail").toAbsolutePath().toString());
        cmd.addAll(List.of(args));
        return run(conf, cmd, stdin, Map.of("QFLUX_CONF", conf.confDir().toString(), "JAVA_OPTS", HEAP));
    }

    /** {@code java -jar qflux.jar inject --conf DIR ARGS < stdin}. */
    public static Result jar(TestConf.Paths conf, String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-jar", QfluxProcess.jar().toString(), "inject", "--conf", conf.confDir().toString()));
        cmd.addAll(List.of(args));
        return run(conf, cmd, stdin, Map.of());
    }

    /** Files waiting in the queue's maildrop/new, in name (injection time) order. */
    public static List<Path> maildropFiles(Path queueDir) {
        Path dir = queueDir.resolve("maildrop").resolve("new");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result run(TestConf.Paths conf, List<String> cmd, String stdin, Map<String, String> env) {
        try {
            Path work = Files.createTempDirectory(conf.logDir(), "sendmail");
            Path in = Files.writeString(work.resolve("stdin"), stdin, StandardCharsets.UTF_8);
            Path out = work.resolve("stdout");
            Path err = work.resolve("stderr");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(in.toFile())
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().putAll(env);
            pb.environment().put("USER", "joe");
            Process p = pb.start();
            try {
                if (!p.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError(String.join(" ", cmd) + " did not finish within " + BOUND);
                }
            } finally {
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            return new Result(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
