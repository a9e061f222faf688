package dev.qflux.cli;

import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import dev.qflux.spool.QueueReport;
import dev.qflux.spool.SpoolReader;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code qflux qstat}: how many messages are queued, like qmail-qstat. */
@Command(name = "qstat", mixinStandardHelpOptions = true,
        description = "Count queued messages, like qmail-qstat.")
final class QstatCommand implements Callable<Integer> {
    @Mixin
    ConfOption conf;

    @Override
    public Integer call() {
        try {
            QfluxConfig config = ConfigLoader.load(conf.dir);
            System.out.print(QueueReport.qstat(SpoolReader.scan(config.queueDir())));
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
