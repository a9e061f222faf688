package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreLoopbackAndOnlyTheProbesOpen() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp);
        AdminConfig admin = ConfigLoader.load(conf.dir).admin();
        assertThat(admin.listen().getAddress().isLoopbackAddress()).isTrue();
        assertThat(admin.listen().getPort()).isEqualTo(2526);
        assertThat(admin.openPaths()).containsExactlyInAnyOrder("/health", "/ready");
        assertThat(admin.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(admin.tokenFile()).isEqualTo(conf.dir.resolve("admin.token"));
    }

    @Test
    void readsItsControlFiles() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp).control("adminlisten", "[::1]:9100\n")
                .control("adminopen", "# for Prometheus\n/metrics\n/health\n")
                .control("draintimeout", "5\n");
        AdminConfig admin = AdminConfigLoader.load(conf.dir);
        assertThat(admin.listen().getAddress().getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(admin.listen().getPort()).isEqualTo(9100);
        assertThat(admin.openPaths()).containsExactlyInAnyOrder("/metrics", "/health");
        assertThat(admin.drainTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void badValuesNameFileAndLine() {
        ConfDir conf = ConfDir.withMe(tmp);
        conf.control("adminlisten", "localhost:2526\n");
        assertThatThrownBy(() -> AdminConfigLoader.load(conf.dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("adminlisten:1").hasMessageContaining("not a name");
        conf.control("adminlisten", "127.0.0.1:99999\n");
        assertThatThrownBy(() -> AdminConfigLoader.load(conf.dir)).hasMessageContaining("not a port");
        conf.control("adminlisten", "2526\n");
        assertThatThrownBy(() -> AdminConfigLoader.load(conf.dir)).hasMessageContaining("expected address:port");
        conf.control("adminlisten", "127.0.0.1:2526\n").control("adminopen", "/stat\n");
        assertThatThrownBy(() -> AdminConfigLoader.load(conf.dir)).hasMessageContaining("adminopen:1")
                .hasMessageContaining("only /health, /ready and /metrics");
        conf.control("adminopen", "/ready\n").control("draintimeout", "soon\n");
        assertThatThrownBy(() -> AdminConfigLoader.load(conf.dir)).hasMessageContaining("draintimeout:1");
    }
}
