package dev.qflux.cli;

import dev.qflux.config.ConfigException;
import dev.qflux.daemon.Daemon;
import dev.qflux.log.LogSink;
import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import sun.misc.Signal;

/** {@code qflux start}: runs in the foreground, logs to stdout, stops cleanly on SIGTERM. */
@Command(name = "start", mixinStandardHelpOptions = true,
        description = "Run qflux in the foreground until SIGTERM or SIGINT (drains; a second one cuts the wait short).")
final class StartCommand implements Callable<Integer> {
    @Mixin
    ConfOption conf;

    @Override
    public Integer call() throws InterruptedException {
        LogSink log = new LogSink(new FileOutputStream(FileDescriptor.out));
        Daemon daemon;
        try {
            daemon = Daemon.start(conf.dir, log);
        } catch (ConfigException e) {
            log.close();
            System.err.println("qflux: fatal: " + e.getMessage());
            return Qflux.EX_CONFIG;
        } catch (IOException e) {
            log.close();
            System.err.println("qflux: fatal: " + e.getMessage());
            return Qflux.EX_TEMPFAIL;
        }
        // qmail-send: TERM means exit cleanly. Handling the signal ourselves (rather than a
        // shutdown hook) lets the process drain and exit 0 after the spool is flushed; a second
        // TERM stops the waiting (see Daemon.requestStop).
        Signal.handle(new Signal("TERM"), s -> daemon.requestStop());
        Signal.handle(new Signal("INT"), s -> daemon.requestStop());
        // qmail-send: ALRM means retry everything now (the init script's doqueue).
        Signal.handle(new Signal("ALRM"), s -> daemon.doqueue());
        daemon.awaitStop();
        log.close();
        return 0;
    }
}
