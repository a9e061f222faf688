package dev.qflux.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.SecurityConfig;
import dev.qflux.log.LogSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorsTest {
    @TempDir
    Path dir;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    final LogSink log = new LogSink(logBytes);
    CloseableAuthenticator auth;

    @AfterEach
    void close() {
        if (auth != null) {
            auth.close();
        }
        log.close();
    }

    private SecurityConfig config(Path passwords, List<String> checkpassword, int maxFailures) {
        return new SecurityConfig(null, passwords, checkpassword, SecurityConfig.AuthPlaintext.LOOPBACK,
                Duration.ZERO, maxFailures, null, Map.of());
    }

    private AuthResult check(String user, String password, String ip) {
        return auth.authenticate(new Credentials(user, password, null, ip, "smtp")).block(Duration.ofSeconds(30));
    }

    private String logText() {
        log.close(); // drains
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noCheckerConfiguredMeansNoAuthenticator() {
        assertThat(Authenticators.fromConfig(config(null, List.of(), 10), log)).isEmpty();
    }

    @Test
    void passwordFileAcceptsRejectsAndNeverLogsPasswords() throws Exception {
        Path file = dir.resolve("passwords");
        PasswordFile.setPassword(file, "alice", PasswordHash.hash("Wonder land".toCharArray(), 1000), "/home/alice");
        PasswordFile.setPassword(file, "bob", PasswordHash.hash("builder".toCharArray(), 1000), null);
        auth = Authenticators.fromConfig(config(file, List.of(), 10), log).orElseThrow();

        assertThat(check("alice", "Wonder land", "192.0.2.1"))
                .isEqualTo(new AuthResult.Accepted("alice", Path.of("/home/alice"), -1, -1));
        assertThat(check("bob", "builder", "192.0.2.1")).isInstanceOf(AuthResult.Accepted.class);
        assertThat(check("alice", "wrong-pass-1", "192.0.2.1")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(check("nobody", "wrong-pass-2", "192.0.2.1")).isInstanceOf(AuthResult.Rejected.class);
        assertThat(check("alice", "", "192.0.2.1")).isInstanceOf(AuthResult.Rejected.class);

        String text = logText();
        assertThat(text).contains("auth: smtp login alice from 192.0.2.1")
                .contains("login failed for alice from 192.0.2.1")
                .doesNotContain("Wonder").doesNotContain("builder").doesNotContain("wrong-pass");
    }

    @Test
    void passwordFileIsPrivateAndKeepsOtherLinesWhenChanged() throws Exception {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "# accounts\n");
        PasswordFile.setPassword(file, "alice", PasswordHash.hash("one".toCharArray(), 1000), "/m/a");
        PasswordFile.setPassword(file, "bob", PasswordHash.hash("two".toCharArray(), 1000), null);
        PasswordFile.setPassword(file, "alice", PasswordHash.hash("three".toCharArray(), 1000), null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("# accounts");
        assertThat(lines.get(1)).startsWith("alice:$pbkdf2-sha256$1000$").endsWith(":/m/a");
        assertThat(lines.get(2)).startsWith("bob:$pbkdf2-sha256$").endsWith(":");
        auth = Authenticators.fromConfig(config(file, List.of(), 10), log).orElseThrow();
        assertThat(check("alice", "three", "192.0.2.1")).isInstanceOf(AuthResult.Accepted.class);
        assertThat(check("alice", "one", "192.0.2.1")).isInstanceOf(AuthResult.Rejected.class);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    @Test
    void malformedPasswordFileIsTemporaryFailureNamingTheLine() throws Exception {
        Path file = dir.resolve("passwords");
        Files.writeString(file, "alice:plaintext:\n");
        auth = Authenticators.fromConfig(config(file, List.of(), 10), log).orElseThrow();
        AuthResult r = check("alice", "plaintext", "192.0.2.1");
        assertThat(r).isInstanceOf(AuthResult.Unavailable.class);
        assertThat(((AuthResult.Unavailable) r).reason()).contains("passwords:1:");
    }

    @Test
    void tooManyFailuresFromOneAddressBlockThatAddressOnly() throws Exception {
        Path file = dir.resolve("passwords");
        PasswordFile.setPassword(file, "alice", PasswordHash.hash("right".toCharArray(), 1000), null);
        auth = Authenticators.fromConfig(config(file, List.of(), 3), log).orElseThrow();
        for (int i = 0; i < 3; i++) {
            assertThat(check("alice", "guess" + i, "192.0.2.7")).isInstanceOf(AuthResult.Rejected.class);
        }
        // Even the right password is not checked now: guessing cannot go on.
        assertThat(check("alice", "right", "192.0.2.7")).isInstanceOf(AuthResult.Unavailable.class);
        assertThat(check("alice", "right", "192.0.2.8")).isInstanceOf(AuthResult.Accepted.class);
        assertThat(logText()).contains("too many failed logins from 192.0.2.7").doesNotContain("right");
    }

    private Path script(String body) throws Exception {
        Path p = dir.resolve("checkpw.sh");
        Files.writeString(p, "#!/bin/sh\n" + body);
        p.toFile().setExecutable(true);
        return p;
    }

    /** A checkpassword: reads user\0pass\0ts\0 from fd 3, alice/pw ok, tmp/pw 111, else 1. */
    private static final String CHECKPW = ""
            + "input=$(tr '\\0' '\\n' <&3)\n"
            + "user=$(printf '%s\\n' \"$input\" | sed -n 1p)\n"
            + "pass=$(printf '%s\\n' \"$input\" | sed -n 2p)\n"
            + "[ \"$user\" = tmp ] && exit 111\n"
            + "[ \"$user\" = alice ] && [ \"$pass\" = pw ] || exit 1\n"
            + "USER=alice HOME=/var/mail/alice; export USER HOME\n"
            + "exec \"$@\"\n";

    @Test
    void checkpasswordProgramExitCodesAndHome() throws Exception {
        Path prog = script(CHECKPW);
        auth = Authenticators.fromConfig(config(null, List.of(prog.toString()), 100), log).orElseThrow();
        assertThat(check("alice", "pw", "192.0.2.1"))
                .isEqualTo(new AuthResult.Accepted("alice", Path.of("/var/mail/alice"), -1, -1));
        assertThat(check("alice", "nope", "192.0.2.1")).isInstanceOf(AuthResult.Rejected.class);
        AuthResult tmp = check("tmp", "pw", "192.0.2.1");
        assertThat(tmp).isInstanceOf(AuthResult.Unavailable.class);
        assertThat(((AuthResult.Unavailable) tmp).reason()).contains("exited 111");
    }

    @Test
    void checkpasswordThatCannotRunIsTemporary() {
        auth = Authenticators.fromConfig(config(null, List.of(dir.resolve("missing").toString()), 100), log)
                .orElseThrow();
        assertThat(check("alice", "pw", "192.0.2.1")).isInstanceOf(AuthResult.Unavailable.class);
    }
}
