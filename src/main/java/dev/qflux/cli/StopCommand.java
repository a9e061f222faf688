package dev.qflux.cli;

import java.io.IOException;
import java.time.Duration;
import picocli.CommandLine.Command;

/** {@code qflux stop}: as SIGTERM; returns once the daemon has exited. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop the daemon gracefully (as SIGTERM) and wait until it has exited.")
final class StopCommand extends AdminVerb {
    /** Beyond control/draintimeout: the spool's last flush and the JVM's exit. */
    static final Duration EXIT_MARGIN = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 100;

    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        AdminClient.Response r = admin.post("/stop");
        if (!r.ok()) {
            return report(r);
        }
        return awaitExit(admin) ? 0 : Qflux.EX_TEMPFAIL;
    }

    /** LSB: stopping a service that is not running succeeds. */
    @Override
    int notRunning(AdminClient.NotRunning e) {
        System.out.println("qflux: not running");
        return 0;
    }

    /** Waits until the endpoint stops answering: the daemon closes it last. */
    static boolean awaitExit(AdminClient admin) throws IOException {
        long deadline = System.nanoTime() + admin.config().drainTimeout().plus(EXIT_MARGIN).toNanos();
        while (admin.answers()) {
            if (System.nanoTime() - deadline >= 0) {
                System.err.println("qflux: still running after " + admin.config().drainTimeout().plus(EXIT_MARGIN)
                        .toSeconds() + " s");
                return false;
            }
            sleep(POLL_MILLIS);
        }
        System.out.println("qflux: stopped");
        return true;
    }

    static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
