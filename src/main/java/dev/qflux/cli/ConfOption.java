package dev.qflux.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --conf DIR}, shared by every verb; bin/qflux points QFLUX_CONF at the shipped conf/. */
final class ConfOption {
    @Option(names = "--conf", paramLabel = "DIR", defaultValue = "${env:QFLUX_CONF:-conf}",
            description = "configuration directory (default: ${DEFAULT-VALUE})")
    Path dir;
}
