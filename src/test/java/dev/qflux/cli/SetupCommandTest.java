package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SetupCommandTest {
    @TempDir
    Path temp;

    @Test
    void writesAConfLikeConfigFastThatLoads() throws Exception {
        Path conf = temp.resolve("conf");

        CliRun run = CliRun.of("setup", "Mail.Example.COM", "--dir", conf.toString(), "--port", "2525",
                "--address", "127.0.0.1");

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(Files.readString(conf.resolve("control/me"))).isEqualTo("mail.example.com\n");
        assertThat(Files.readString(conf.resolve("control/defaultdomain"))).isEqualTo("example.com\n");
        assertThat(Files.readString(conf.resolve("control/plusdomain"))).isEqualTo("example.com\n");
        assertThat(Files.readString(conf.resolve("control/defaultdelivery"))).isEqualTo("./Maildir/\n");
        for (String alias : new String[] {"postmaster", "root", "mailer-daemon"}) {
            assertThat(conf.resolve("alias/.qmail-" + alias)).content().endsWith("./Maildir/\n");
        }
        QfluxConfig config = ConfigLoader.load(conf);
        assertThat(config.me()).isEqualTo("mail.example.com");
        assertThat(config.locals().contains("mail.example.com")).isTrue();
        assertThat(config.rcptHosts().contains("mail.example.com")).isTrue();
        assertThat(config.rcptHosts().contains("example.org")).isFalse();
        assertThat(config.listeners()).hasSize(1);
        assertThat(config.listeners().get(0).address().getPort()).isEqualTo(2525);
        assertThat(config.tcpRules().match(InetAddress.getByName("127.0.0.1")).env()).containsKey("RELAYCLIENT");
        assertThat(config.tcpRules().match(InetAddress.getByName("192.0.2.1")).env()).doesNotContainKey("RELAYCLIENT");
        // Everything written is a file showctl knows.
        assertThat(CliRun.of("showctl", "--conf", conf.toString()).status()).isZero();
    }

    @Test
    void refusesToOverwriteAnExistingConfUnlessForced() throws Exception {
        Path conf = temp.resolve("conf");
        assertThat(CliRun.of("setup", "one.example.com", "--dir", conf.toString()).status()).isZero();

        CliRun again = CliRun.of("setup", "two.example.com", "--dir", conf.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).contains("--force");
        assertThat(conf.resolve("control/me")).hasContent("one.example.com");

        assertThat(CliRun.of("setup", "two.example.com", "--dir", conf.toString(), "--force").status()).isZero();
        assertThat(conf.resolve("control/me")).hasContent("two.example.com");
    }

    @Test
    void anAdminAddressIsWhereTheAliasesForward() throws Exception {
        Path conf = temp.resolve("conf");
        assertThat(CliRun.of("setup", "mx.example.com", "--dir", conf.toString(), "--admin", "ops@example.net")
                .status()).isZero();
        assertThat(conf.resolve("alias/.qmail-root")).hasContent("&ops@example.net");
        assertThat(conf.resolve("control/listen")).content().contains("*:25 smtp");
    }

    @Test
    void refusesSomethingThatIsNotAHostName() {
        CliRun run = CliRun.of("setup", "not a host", "--dir", temp.resolve("conf").toString());
        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains("not a host name: not a host");
        assertThat(temp.resolve("conf")).doesNotExist();
    }
}
