package dev.qflux.cli;

import dev.qflux.config.QfluxConfig;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.QueueReport;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code qflux queue}: the init script's queue, qmail-qstat then qmail-qread. */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "Count and list queued messages (qstat, then qread), like the init script's queue.")
final class QueueCommand extends QueueVerb {
    @Override
    String report(List<QueueEntry> queue, QfluxConfig config) {
        return QueueReport.qstat(queue) + QueueReport.qread(queue, config.locals()::contains);
    }
}
