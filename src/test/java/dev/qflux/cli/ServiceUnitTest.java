package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/qflux.service: the settings operations.md promises, and systemd's own verdict on the file. */
class ServiceUnitTest {
    static final Path UNIT = Path.of("conf/qflux.service");
    /** control/draintimeout's default (docs/configuration.md): the stop timeout must cover it. */
    static final int DRAIN_TIMEOUT_SECONDS = 30;
    private static final Path SYSTEMD_ANALYZE = Path.of("/usr/bin/systemd-analyze");

    @TempDir
    Path temp;

    private static List<String> values(String key) throws IOException {
        List<String> values = new ArrayList<>();
        for (String line : Files.readAllLines(UNIT, StandardCharsets.UTF_8)) {
            if (line.startsWith(key + "=")) {
                values.add(line.substring(key.length() + 1));
            }
        }
        return values;
    }

    @Test
    void runsAsItsOwnUserWithPort25AndStopsWithinTheDrainDeadline() throws IOException {
        assertThat(values("User")).containsExactly("qflux");
        assertThat(values("AmbientCapabilities")).containsExactly("CAP_NET_BIND_SERVICE");
        assertThat(values("Restart")).containsExactly("on-failure");
        assertThat(values("RestartPreventExitStatus")).containsExactly(Integer.toString(Qflux.EX_CONFIG));
        assertThat(values("KillSignal")).containsExactly("SIGTERM");
        assertThat(Integer.parseInt(values("TimeoutStopSec").get(0))).isGreaterThan(DRAIN_TIMEOUT_SECONDS);
        assertThat(values("ExecStart")).singleElement().asString().contains("-jar ").contains(" start --conf ");
        assertThat(values("ExecReload")).singleElement().asString().contains(" reload --conf ");
        // The JVM's JIT needs writable, executable memory.
        assertThat(values("MemoryDenyWriteExecute")).isEmpty();
    }

    @Test
    void systemdAcceptsTheUnitWithoutAWarning() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        String unit = Files.readString(UNIT, StandardCharsets.UTF_8);
        if (!Files.isExecutable(Path.of("/usr/bin/java"))) {
            // verify checks that ExecStart's program exists: point it at this JVM's java.
            unit = unit.replace("/usr/bin/java", ProcessHandle.current().info().command().orElseThrow());
        }
        Path copy = temp.resolve("qflux.service");
        Files.writeString(copy, unit, StandardCharsets.UTF_8);

        Process p = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", copy.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as("systemd-analyze's warnings").isEmpty();
    }

    @Test
    void aMisspelledKeyIsCaughtByTheSameCheck() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SYSTEMD_ANALYZE), "systemd-analyze is not installed");
        Path copy = temp.resolve("broken.service");
        Files.writeString(copy, Files.readString(UNIT).replace("ProtectSystem=", "ProtectSytem=")
                .replace("/usr/bin/java", ProcessHandle.current().info().command().orElseThrow()));

        Process p = new ProcessBuilder(SYSTEMD_ANALYZE.toString(), "verify", copy.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(out).contains("Unknown key 'ProtectSytem'");
    }
}
