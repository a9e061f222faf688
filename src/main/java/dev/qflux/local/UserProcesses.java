package dev.qflux.local;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs a command with a user's uid and gid, as qmail-lspawn runs qmail-local: when qflux runs as
 * root through {@code setpriv --reuid=U --regid=G --clear-groups --} (util-linux), when it runs
 * as that very user directly, and otherwise not at all. stdin comes from a file (seekable, as
 * qmail-local's), stdout and stderr go to a file of which only the first bytes are read, so one
 * blocking thread suffices per command and a chatty program cannot fill memory.
 */
final class UserProcesses {
    /** Where util-linux installs setpriv on Debian, Red Hat and Alpine. */
    static final List<String> SETPRIV_PATHS = List.of("/usr/bin/setpriv", "/bin/setpriv");
    /** PATH given to programs: qmail-local passes its own; ours may be a service manager's minimal one. */
    static final String PROGRAM_PATH = "/usr/local/bin:/usr/bin:/bin";
    /** How long to wait for a process killed at its timeout to be gone. */
    private static final long KILL_WAIT_SECONDS = 10;

    /** What a command did; {@code exitCode} is 128 + n when signal n killed it, -1 on timeout. */
    record Result(int exitCode, boolean timedOut, byte[] output) {
    }

    /** The command cannot run as the user at all. */
    static final class CannotSwitch extends Exception {
        private static final long serialVersionUID = 1L;

        CannotSwitch(String message) {
            super(message, null, false, false);
        }
    }

    private final Path workDir;
    private final int ourUid;
    private final String setpriv;
    private final AtomicLong files = new AtomicLong();

    UserProcesses(Path workDir, int ourUid) {
        this.workDir = workDir;
        this.ourUid = ourUid;
        this.setpriv = SETPRIV_PATHS.stream().filter(p -> Files.isExecutable(Path.of(p))).findFirst().orElse(null);
    }

    /** Whether work for {@code uid} runs in this process: qflux is that user already. */
    boolean isSelf(int uid) {
        return uid == ourUid;
    }

    /** The uid of this process, read from /proc/self once at start (0 = root). */
    static int currentUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | RuntimeException e) {
            return -1; // unknown: never act as anyone else
        }
    }

    /**
     * Runs {@code command} as {@code uid}/{@code gid} in {@code cwd}, with exactly {@code env},
     * {@code stdin} as input, at most {@code timeout}; returns the first {@code maxOutput} bytes
     * of what it printed. Blocking: call on the local delivery scheduler.
     */
    Result run(List<String> command, int uid, int gid, Path cwd, Map<String, String> env, byte[] stdin,
               Duration timeout, int maxOutput) throws CannotSwitch, IOException {
        List<String> full = new ArrayList<>();
        if (!isSelf(uid)) {
            if (ourUid != 0) {
                throw new CannotSwitch("qflux runs as uid " + ourUid + " and cannot act as uid " + uid
                        + "; run it as root or as that user. (#4.3.0)");
            }
            if (setpriv == null) {
                throw new CannotSwitch("setpriv (util-linux) not found; cannot act as uid " + uid + ". (#4.3.0)");
            }
            full.addAll(List.of(setpriv, "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
        }
        full.addAll(command);
        long n = files.incrementAndGet();
        Path in = workDir.resolve("in." + n);
        Path out = workDir.resolve("out." + n);
        try {
            Files.write(in, stdin);
            ProcessBuilder pb = new ProcessBuilder(full).directory(cwd.toFile())
                    .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectErrorStream(true);
            pb.environment().clear();
            pb.environment().putAll(env);
            Process process = pb.start();
            boolean finished;
            try {
                finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            }
            if (!finished) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                waitQuietly(process);
            }
            byte[] output;
            try (InputStream o = Files.newInputStream(out)) {
                output = o.readNBytes(maxOutput);
            }
            if (!finished) {
                return new Result(-1, true, output);
            }
            return new Result(process.exitValue(), false, output);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    /** Reaps a killed process; SIGKILL cannot be ignored, so this is short. */
    private static void waitQuietly(Process process) {
        try {
            process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
