package dev.qflux.cli;

import dev.qflux.config.QfluxConfig;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.QueueReport;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code qflux qread}: the queue in qmail-qread's format. */
@Command(name = "qread", mixinStandardHelpOptions = true,
        description = "List queued messages and their recipients, like qmail-qread.")
final class QreadCommand extends QueueVerb {
    @Override
    String report(List<QueueEntry> queue, QfluxConfig config) {
        return QueueReport.qread(queue, config.locals()::contains);
    }
}
