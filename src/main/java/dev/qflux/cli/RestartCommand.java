package dev.qflux.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qflux restart}: stop, then start a new daemon in the background with the same java and
 * jar. For a daemon started by hand; under systemd or supervise use their restart instead.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
        description = "Stop the daemon, then start it again in the background, logging to --log.")
final class RestartCommand extends AdminVerb {
    /** How long the new JVM gets to open the spool and bind its listeners. */
    static final Duration START_BOUND = Duration.ofSeconds(120);

    @Option(names = "--log", paramLabel = "FILE",
            description = "where the new daemon's log lines go (default: qflux.log beside the conf directory)")
    Path logFile;

    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        AdminClient.Response r = admin.post("/stop");
        if (!r.ok()) {
            return report(r);
        }
        if (!StopCommand.awaitExit(admin)) {
            return Qflux.EX_TEMPFAIL;
        }
        return start(admin);
    }

    @Override
    int notRunning(AdminClient.NotRunning e) {
        try {
            return start(AdminClient.of(conf.dir));
        } catch (AdminClient.NotRunning never) {
            return startWithoutToken();
        } catch (Exception other) {
            System.err.println("qflux: " + other.getMessage());
            return Qflux.EX_TEMPFAIL;
        }
    }

    private int startWithoutToken() {
        try {
            spawn();
            System.out.println("qflux: started");
            return 0;
        } catch (IOException e) {
            System.err.println("qflux: cannot start: " + e.getMessage());
            return Qflux.EX_TEMPFAIL;
        }
    }

    private int start(AdminClient admin) throws IOException {
        Process p = spawn();
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        while (!admin.answers()) {
            if (!p.isAlive()) {
                System.err.println("qflux: the new daemon exited with " + p.exitValue() + "; see " + log());
                return p.exitValue();
            }
            if (System.nanoTime() - deadline >= 0) {
                System.err.println("qflux: the new daemon did not answer in " + START_BOUND.toSeconds() + " s");
                return Qflux.EX_TEMPFAIL;
            }
            StopCommand.sleep(100);
        }
        System.out.println("qflux: started (pid " + p.pid() + ")");
        return 0;
    }

    private Process spawn() throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = System.getProperty("java.class.path");
        List<String> cmd = List.of(java, "-cp", classPath, Qflux.class.getName(), "start", "--conf",
                conf.dir.toString());
        File out = log().toFile();
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(out))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    private Path log() {
        return logFile != null ? logFile
                : conf.dir.toAbsolutePath().normalize().resolveSibling("qflux.log");
    }
}
