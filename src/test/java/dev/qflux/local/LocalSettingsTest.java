package dev.qflux.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LocalSettings.load: defaults, control files, users/assign, and errors naming file and line. */
class LocalSettingsTest {
    @TempDir
    Path temp;
    Path conf;

    @BeforeEach
    void setUp() throws Exception {
        conf = temp.resolve("conf");
        Files.createDirectories(conf.resolve("control"));
        Files.writeString(conf.resolve("control/me"), "mail.example.com\n");
    }

    private LocalSettings load() throws ConfigException {
        return LocalSettings.load(ConfigLoader.load(conf));
    }

    @Test
    void defaults() throws Exception {
        LocalSettings s = load();
        assertThat(s.me()).isEqualTo("mail.example.com");
        assertThat(s.envNoAtHost()).isEqualTo("mail.example.com");
        assertThat(s.defaultDelivery()).isEqualTo("./Mailbox\n");
        assertThat(s.timeoutLocal()).isEqualTo(Duration.ofHours(1));
        assertThat(s.concurrency()).isEqualTo(10);
        assertThat(s.aliasDir()).isEqualTo(conf.resolve("alias"));
        assertThat(s.passwdFile()).isEqualTo(Path.of("/etc/passwd"));
        assertThat(s.usersAssign().find("anyone")).isEmpty();
    }

    @Test
    void controlFilesAndUsersAssign() throws Exception {
        Files.writeString(conf.resolve("control/defaultdelivery"), "./Maildir/\n");
        Files.writeString(conf.resolve("control/timeoutlocal"), "600\n");
        Files.writeString(conf.resolve("control/concurrencylocal"), "3\n");
        Files.createDirectories(conf.resolve("users"));
        Files.writeString(conf.resolve("users/assign"), "=joe:joe:1000:1000:/home/joe:::\n.\n");

        LocalSettings s = load();

        assertThat(s.defaultDelivery()).isEqualTo("./Maildir/\n");
        assertThat(s.timeoutLocal()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.concurrency()).isEqualTo(3);
        assertThat(s.usersAssign().find("joe")).get().extracting(LocalUser::uid).isEqualTo(1000);
    }

    @Test
    void errorsNameFileAndLine() throws Exception {
        Files.writeString(conf.resolve("control/timeoutlocal"), "soon\n");
        assertThatThrownBy(this::load).isInstanceOf(ConfigException.class)
                .hasMessage(conf.resolve("control/timeoutlocal") + ":1: expected a number of seconds from 1 to 2147483647: \"soon\"");

        Files.delete(conf.resolve("control/timeoutlocal"));
        Files.writeString(conf.resolve("control/defaultdelivery"), "# nothing\n");
        assertThatThrownBy(this::load).hasMessage(conf.resolve("control/defaultdelivery")
                + ":1: no delivery instruction (expected e.g. ./Maildir/)");

        Files.delete(conf.resolve("control/defaultdelivery"));
        Files.createDirectories(conf.resolve("users"));
        Files.writeString(conf.resolve("users/assign"), "=joe:joe:1000:1000:/home/joe:::\n=bad\n.\n");
        assertThatThrownBy(this::load).hasMessageStartingWith(conf.resolve("users/assign") + ":2: expected =local:");
    }
}
