package dev.qflux.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code qflux reload}: Re-read the conf directory; a bad file keeps the old configuration and exits 1 naming file:line. */
@Command(name = "reload", mixinStandardHelpOptions = true,
        description = "Re-read the conf directory; a bad file keeps the old configuration and exits 1 naming file:line.")
final class ReloadCommand extends AdminVerb {
    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        return report(admin.post("/reload"));
    }
}
