package dev.qflux.cli;

import java.io.IOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code qflux pause [--smtp]}: the init script's pause. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Start no new deliveries until cont; /ready answers 503 meanwhile.")
final class PauseCommand extends AdminVerb {
    @Option(names = "--smtp", description = "also refuse MAIL with 451 4.3.2 (connections are still greeted)")
    boolean smtp;

    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        return report(admin.post(smtp ? "/pause?smtp=1" : "/pause"));
    }
}
