package dev.qflux.cli;

import dev.qflux.config.QfluxConfig;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.QueueReport;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code qflux qstat}: how many messages are queued, like qmail-qstat. */
@Command(name = "qstat", mixinStandardHelpOptions = true,
        description = "Count queued messages, like qmail-qstat.")
final class QstatCommand extends QueueVerb {
    @Override
    String report(List<QueueEntry> queue, QfluxConfig config) {
        return QueueReport.qstat(queue);
    }
}
