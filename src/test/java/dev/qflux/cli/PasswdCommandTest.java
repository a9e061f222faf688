package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.auth.AuthResult;
import dev.qflux.auth.Authenticators;
import dev.qflux.auth.CloseableAuthenticator;
import dev.qflux.auth.Credentials;
import dev.qflux.config.SecurityConfig;
import dev.qflux.log.LogSink;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PasswdCommandTest {
    @TempDir
    Path conf;

    private int run(String stdin, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            return new CommandLine(new Qflux()).execute(args);
        } finally {
            System.setIn(saved);
        }
    }

    @Test
    void writesAFileTheCheckerAccepts() throws Exception {
        Files.createDirectories(conf.resolve("control"));
        assertThat(run("correct horse\n", "passwd", "--conf", conf.toString(), "--stdin",
                "--home", "/home/alice", "alice")).isZero();
        Path file = conf.resolve("control/passwords");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.readString(file)).startsWith("alice:$pbkdf2-sha256$600000$")
                .endsWith(":/home/alice\n").doesNotContain("horse");

        SecurityConfig cfg = new SecurityConfig(null, file, List.of(), SecurityConfig.AuthPlaintext.LOOPBACK,
                Duration.ZERO, 10, null, Map.of());
        try (LogSink log = new LogSink(OutputStream.nullOutputStream());
             CloseableAuthenticator auth = Authenticators.fromConfig(cfg, log).orElseThrow()) {
            AuthResult ok = auth.authenticate(new Credentials("alice", "correct horse", null, "127.0.0.1", "smtp"))
                    .block(Duration.ofSeconds(30));
            assertThat(ok).isEqualTo(new AuthResult.Accepted("alice", Path.of("/home/alice"), -1, -1));
        }
    }

    @Test
    void refusesBadNamesAndEmptyPasswordsWithoutWriting() {
        assertThat(run("pw\n", "passwd", "--conf", conf.toString(), "--stdin", "al:ice")).isEqualTo(64);
        assertThat(run("\n", "passwd", "--conf", conf.toString(), "--stdin", "alice")).isEqualTo(64);
        assertThat(run("", "passwd", "--conf", conf.toString(), "--stdin", "alice")).isEqualTo(64);
        assertThat(conf.resolve("control/passwords")).doesNotExist();
    }
}
