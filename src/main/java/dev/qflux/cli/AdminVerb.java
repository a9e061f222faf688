package dev.qflux.cli;

import dev.qflux.config.ConfigException;
import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * A verb that talks to the running daemon. Exit codes scripts can test: 0 done, 1 the daemon
 * refused, 3 not running (as LSB's status), 75 no answer in time, 78 configuration error.
 */
abstract class AdminVerb implements Callable<Integer> {
    /** The daemon answered but refused (a reload with a bad file, a wrong token). */
    static final int EX_REFUSED = 1;
    /** LSB init script status: program is not running. */
    static final int EX_NOT_RUNNING = 3;

    @Mixin
    ConfOption conf;

    abstract int run(AdminClient admin) throws AdminClient.NotRunning, IOException;

    /** What to print and return when no daemon runs; most verbs fail with 3. */
    int notRunning(AdminClient.NotRunning e) {
        System.err.println("qflux: not running: " + e.getMessage());
        return EX_NOT_RUNNING;
    }

    @Override
    public Integer call() {
        try {
            return run(AdminClient.of(conf.dir));
        } catch (AdminClient.NotRunning e) {
            return notRunning(e);
        } catch (ConfigException e) {
            System.err.println("qflux: fatal: " + e.getMessage());
            return Qflux.EX_CONFIG;
        } catch (HttpTimeoutException e) {
            System.err.println("qflux: no answer from the daemon in " + AdminClient.REQUEST_TIMEOUT.toSeconds()
                    + " s");
            return Qflux.EX_TEMPFAIL;
        } catch (IOException e) {
            System.err.println("qflux: cannot talk to the daemon: " + e.getMessage());
            return Qflux.EX_TEMPFAIL;
        }
    }

    /** Prints the daemon's answer; 0 if it said yes, 1 if it refused. */
    static int report(AdminClient.Response r) {
        if (r.ok()) {
            System.out.print(r.body());
            return 0;
        }
        System.err.print("qflux: " + r.body());
        return EX_REFUSED;
    }
}
