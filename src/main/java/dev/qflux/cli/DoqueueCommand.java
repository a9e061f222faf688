package dev.qflux.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code qflux doqueue}: Retry every queued message now (qmail-send's ALRM, the init script's doqueue). */
@Command(name = "doqueue", mixinStandardHelpOptions = true,
        description = "Retry every queued message now (qmail-send's ALRM, the init script's doqueue).")
final class DoqueueCommand extends AdminVerb {
    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        return report(admin.post("/doqueue"));
    }
}
