package dev.qflux.cli;

import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.SpoolReader;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/** A verb that prints a report of the queue, read without its lock while a daemon may run. */
abstract class QueueVerb implements Callable<Integer> {
    @Mixin
    ConfOption conf;

    abstract String report(List<QueueEntry> queue, QfluxConfig config);

    @Override
    public Integer call() {
        try {
            QfluxConfig config = ConfigLoader.load(conf.dir);
            System.out.print(report(SpoolReader.scan(config.queueDir()), config));
            return 0;
        } catch (ConfigException e) {
            System.err.println("qflux: fatal: " + e.getMessage());
            return Qflux.EX_CONFIG;
        } catch (IOException e) {
            System.err.println("qflux: fatal: cannot read the queue: " + e.getMessage());
            return Qflux.EX_IOERR;
        }
    }
}
