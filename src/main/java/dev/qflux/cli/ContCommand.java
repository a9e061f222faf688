package dev.qflux.cli;

import java.io.IOException;
import picocli.CommandLine.Command;

/** {@code qflux cont}: Continue deliveries (and SMTP) after pause, like the init script's cont. */
@Command(name = "cont", mixinStandardHelpOptions = true,
        description = "Continue deliveries (and SMTP) after pause, like the init script's cont.")
final class ContCommand extends AdminVerb {
    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        return report(admin.post("/cont"));
    }
}
