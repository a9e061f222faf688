package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.TestConf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A malformed control file stops start-up with sysexits' EX_CONFIG and names file and line. */
class ConfigErrorIT {
    @TempDir
    Path dir;

    @Test
    void malformedControlFileFailsStartWithFileAndLine() {
        TestConf.Paths conf = TestConf.in(dir).listen(FreePort.pick())
                .control("databytes", "lots").write();
        ExternalProcess.Result r = ExternalProcess.run(Duration.ofSeconds(60), List.of(
                "java", "-jar", QfluxProcess.jar().toString(), "start", "--conf", conf.confDir().toString()));
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(78);
        assertThat(r.stderr()).contains("control/databytes:1:").contains("lots")
                .doesNotContain("Exception").doesNotContain("\tat ");
    }
}
