package dev.qflux.config;

import static dev.qflux.config.ConfDir.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void onlyMeGivesEveryDefault() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp);
        QfluxConfig c = conf.load();
        assertThat(c.confDir()).isEqualTo(conf.dir);
        assertThat(c.queueDir()).isEqualTo(tmp.resolve("var/queue"));
        assertThat(c.me()).isEqualTo("mail.example.com");
        assertThat(c.smtpGreeting()).isEqualTo("mail.example.com");
        assertThat(c.localIpHost()).isEqualTo("mail.example.com");
        assertThat(c.locals().contains("MAIL.example.com")).isTrue();
        assertThat(c.locals().contains("example.com")).isFalse();
        assertThat(c.rcptHosts().contains("mail.example.com")).isFalse(); // no rcpthosts: no domain, no open relay
        assertThat(c.badMailFrom().matches("a@b.c")).isFalse();
        assertThat(c.databytes()).isZero();
        assertThat(c.timeoutSmtpd()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(c.concurrencyIncoming()).isEqualTo(200);
        assertThat(c.concurrencyPerIp()).isEqualTo(50);
        assertThat(c.maxRcpt()).isEqualTo(1000);
        assertThat(c.maxErrors()).isEqualTo(20);
        assertThat(c.receiveBytes()).isEqualTo(268435456L);
        assertThat(c.queueFreeBytes()).isEqualTo(67108864L);
        assertThat(c.tcpRules().match(ip("192.0.2.1"))).isEqualTo(AccessRule.ALLOW_ALL);
        assertThat(c.listeners()).singleElement().satisfies(l -> {
            assertThat(l.address().getAddress().getHostAddress()).isEqualTo("0.0.0.0");
            assertThat(l.address().getPort()).isEqualTo(25);
            assertThat(l.protocol()).isEqualTo("smtp");
            assertThat(l.proxyEnabled()).isFalse();
        });
    }

    @Test
    void everyFileIsRead() throws Exception {
        ConfDir conf = ConfDir.withMe(tmp)
                .control("smtpgreeting", "mx.example.com ESMTP ready  \nignored\n")
                .control("localiphost", "example.com\n")
                .control("rcpthosts", "# ours\nExample.COM\n.example.net\n")
                .control("morercpthosts", "example.org.\n")
                .control("locals", "localhost\nexample.com\n")
                .control("badmailfrom", "Spammer@Example.com\n@bad.example\n")
                .control("databytes", "10485760\n")
                .control("timeoutsmtpd", "300\n")
                .control("concurrencyincoming", "500\n")
                .control("concurrencyperip", "5\n")
                .control("maxrcpt", "100\n")
                .control("maxerrors", "3\n")
                .control("receivebytes", "1000000\n")
                .control("queuefree", "0\n")
                .control("queuedir", "/srv/qflux/queue\n")
                .control("listen", "*:25 smtp\n[::1]:110 pop3\n");
        conf.write(conf.dir.resolve("tcp.smtp"), "10.:allow,RELAYCLIENT=\"\"\n:deny\n".getBytes());
        QfluxConfig c = conf.load();
        assertThat(c.smtpGreeting()).isEqualTo("mx.example.com ESMTP ready");
        assertThat(c.localIpHost()).isEqualTo("example.com");
        assertThat(c.rcptHosts().contains("example.com")).isTrue();
        assertThat(c.rcptHosts().contains("a.example.net")).isTrue();
        assertThat(c.rcptHosts().contains("example.org")).isTrue();
        assertThat(c.rcptHosts().contains("example.net")).isFalse();
        assertThat(c.locals().contains("example.com")).isTrue();
        assertThat(c.locals().contains("mail.example.com")).isFalse(); // locals given: me is not added
        assertThat(c.badMailFrom().matches("spammer@example.COM")).isTrue();
        assertThat(c.badMailFrom().matches("anyone@BAD.example")).isTrue();
        assertThat(c.badMailFrom().matches("other@example.com")).isFalse();
        assertThat(c.databytes()).isEqualTo(10485760L);
        assertThat(c.timeoutSmtpd()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.concurrencyIncoming()).isEqualTo(500);
        assertThat(c.concurrencyPerIp()).isEqualTo(5);
        assertThat(c.maxRcpt()).isEqualTo(100);
        assertThat(c.maxErrors()).isEqualTo(3);
        assertThat(c.receiveBytes()).isEqualTo(1000000L);
        assertThat(c.queueFreeBytes()).isZero();
        assertThat(c.queueDir()).isEqualTo(Path.of("/srv/qflux/queue"));
        assertThat(c.listeners()).extracting(ListenSpec::protocol).containsExactly("smtp", "pop3");
        assertThat(c.tcpRules().match(ip("10.9.8.7")).relayClient()).isEmpty();
        assertThat(c.tcpRules().match(ip("192.0.2.1")).allow()).isFalse();
    }

    @Test
    void relativeQueuedirIsTakenFromTheConfDirsParent() throws Exception {
        QfluxConfig c = ConfDir.withMe(tmp).control("queuedir", "spool/../data/queue\n").load();
        assertThat(c.queueDir()).isEqualTo(tmp.resolve("data/queue"));
    }

    @Test
    void relativeConfDirGivesANormalizedDefaultQueueDir() throws Exception {
        Path conf = Path.of("conf");
        assertThat(Files.isDirectory(conf)).isTrue();
        assertThat(ConfigLoader.load(conf).queueDir()).isEqualTo(Path.of("var/queue"));
    }

    @Test
    void missingMeFails() {
        ConfDir conf = new ConfDir(tmp);
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("me") + ": missing; it must hold this host's fully qualified name");
    }

    @Test
    void missingConfDirFails() {
        Path nowhere = tmp.resolve("nowhere");
        assertThatThrownBy(() -> ConfigLoader.load(nowhere)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(nowhere + ": not a directory");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "databytes|abc|1: not a number: \"abc\"",
        "databytes|12abc|1: not a number: \"12abc\"",
        "databytes||1: not a number: \"\"",
        "databytes|-5|1: must be 0 or more: \"-5\"",
        "databytes|99999999999999999999|1: too large: \"99999999999999999999\" (at most 9223372036854775807)",
        "timeoutsmtpd|0|1: must be 1 or more: \"0\"",
        "concurrencyincoming|0|1: must be 1 or more: \"0\"",
        "concurrencyincoming|3000000000|1: too large: \"3000000000\" (at most 2147483647)",
        "concurrencyperip|-1|1: must be 1 or more: \"-1\"",
        "maxrcpt|0|1: must be 1 or more: \"0\"",
        "maxerrors|x|1: not a number: \"x\"",
        "receivebytes|0|1: must be 1 or more: \"0\"",
        "queuefree|1.5|1: not a number: \"1.5\"",
        "me||1: empty; expected a host name",
        "me|.example.com|1: not a host name: \".example.com\"",
        "me|mail example.com|1: a domain has no blanks: \"mail example.com\"",
        "localiphost|postmaster@example.com|1: a domain, not an address, is expected: \"postmaster@example.com\"",
        "queuedir||1: empty; expected a directory",
    })
    void badValuesNameFileAndLine(String file, String value, String error) {
        ConfDir conf = ConfDir.withMe(tmp).control(file, (value == null ? "" : value) + "\n");
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessage(conf.control(file) + ":" + error);
    }

    @Test
    void badListEntryNamesItsLine() {
        ConfDir conf = ConfDir.withMe(tmp).control("rcpthosts", "# comment\nexample.com\nexample..net\n");
        assertThatThrownBy(conf::load)
                .hasMessage(conf.control("rcpthosts") + ":3: empty label in domain: \"example..net\"");
        conf.control("rcpthosts", "").control("locals", "\n.example.com\n");
        assertThatThrownBy(conf::load).hasMessage(conf.control("locals")
                + ":2: only whole domains match here, so a leading dot never would: \".example.com\"");
        conf.control("locals", "").control("badmailfrom", "a b@example.com\n");
        assertThatThrownBy(conf::load)
                .hasMessage(conf.control("badmailfrom") + ":1: an address has no blanks: \"a b@example.com\"");
    }

    @Test
    void commentInASingleValueFileIsNotSkipped() {
        // qmail reads the first line of me as it is; a comment there is a bad host name, not a comment.
        ConfDir conf = new ConfDir(tmp).control("me", "# the host\nmail.example.com\n");
        assertThatThrownBy(conf::load).hasMessage(conf.control("me") + ":1: a domain has no blanks: \"# the host\"");
    }

    @Test
    void emptyListFilesAreEmptyNotDefault() throws Exception {
        QfluxConfig c = ConfDir.withMe(tmp).control("locals", "# none\n").load();
        assertThat(c.locals().contains("mail.example.com")).isFalse();
    }

    @Test
    void shippedConfLoads() throws Exception {
        QfluxConfig c = ConfigLoader.load(Path.of("conf"));
        assertThat(c.me()).isEqualTo("localhost");
        assertThat(c.rcptHosts().contains("localhost")).isTrue();
        assertThat(c.locals().contains("localhost")).isTrue();
        assertThat(c.databytes()).isEqualTo(20L * 1024 * 1024);
        assertThat(c.concurrencyIncoming()).isEqualTo(200);
        assertThat(c.timeoutSmtpd()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(c.listeners()).singleElement().satisfies(l -> {
            assertThat(l.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(l.address().getPort()).isEqualTo(2525);
            assertThat(l.protocol()).isEqualTo("smtp");
        });
        assertThat(c.tcpRules().match(ip("127.0.0.1")).relayClient()).isEmpty();
        assertThat(c.tcpRules().match(ip("::1")).relayClient()).isEmpty();
        AccessRule stranger = c.tcpRules().match(ip("192.0.2.7"));
        assertThat(stranger.allow()).isTrue();
        assertThat(stranger.relayClient()).isNull();
        assertThat(c.badMailFrom().matches("spammer@example.com")).isFalse();
        assertThat(c.delivery().concurrencyRemote()).isEqualTo(20);
        assertThat(c.delivery().envNoAtHost()).isEqualTo("localhost");
        assertThat(c.delivery().smtpRoutes().relayFor("example.com")).isEmpty();
        assertThat(c.delivery().virtualDomains().isEmpty()).isTrue();
        assertThat(c.delivery().resolvers()).isEmpty();
    }
}
