package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Pop3ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void defaultsAreQmailPopupsAndNoPlaintextFromAfar() throws Exception {
        Pop3Config c = ConfDir.withMe(tmp).load().pop3();
        assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(c.plaintextAnywhere()).isFalse();
        assertThat(c.maildirName()).isEqualTo("Maildir");
        assertThat(c.concurrency()).isEqualTo(100);
        assertThat(c.serverCert()).isNull();
    }

    @Test
    void everyFileIsRead() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp)
                .control("timeoutpop3", "600\n")
                .control("pop3plaintext", "1\n")
                .control("pop3maildir", "Mail/box\n")
                .control("concurrencypop3", "7\n")
                .control("servercert.pem", "-----BEGIN CERTIFICATE-----\n")
                .control("listen", "127.0.0.1:110 pop3\n127.0.0.1:995 pop3s proxy=10.0.0.0/8\n");
        QfluxConfig c = conf.load();
        assertThat(c.pop3()).isEqualTo(new Pop3Config(Duration.ofSeconds(600), true, "Mail/box", 7,
                conf.dir.resolve("control/servercert.pem")));
        assertThat(c.listeners()).extracting(ListenSpec::protocol).containsExactly("pop3", "pop3s");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/var/mail/alice", "..", "../other", "Mail/../../x"})
    void aMaildirOutsideTheHomeIsRefused(String name) {
        ConfDir conf = ConfDir.withMe(tmp).control("pop3maildir", name + "\n");
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pop3maildir:1").hasMessageContaining("relative to the home directory");
    }

    @Test
    void pop3plaintextIsZeroOrOne() {
        ConfDir conf = ConfDir.withMe(tmp).control("pop3plaintext", "2\n");
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessageContaining("pop3plaintext:1").hasMessageContaining("too large");
    }
}
