package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdbCommandTest {
    @TempDir
    Path temp;

    private Path conf(String tcpSmtp) throws IOException {
        Path conf = Files.createDirectories(temp.resolve("conf/control")).getParent();
        Files.writeString(conf.resolve("control/me"), "mail.example.com\n");
        if (tcpSmtp != null) {
            Files.writeString(conf.resolve("tcp.smtp"), tcpSmtp);
        }
        return conf;
    }

    @Test
    void countsTheRulesOfAValidFile() throws IOException {
        Path conf = conf("# comment\n127.:allow,RELAYCLIENT=\"\"\n[::1]:allow\n:allow\n");

        CliRun run = CliRun.of("cdb", "--conf", conf.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(conf.resolve("tcp.smtp") + ": 3 rules\n");
    }

    @Test
    void reportsEveryBrokenRuleWithPathAndLine() throws IOException {
        Path conf = conf("127.:allow\n10.1.:permit\n:allow\nno-colon-here\n");

        CliRun run = CliRun.of("cdb", "--conf", conf.toString());

        assertThat(run.status()).isEqualTo(78);
        Path file = conf.resolve("tcp.smtp");
        assertThat(run.err()).contains(file + ":2: ").contains(file + ":4: expected address:instructions");
        assertThat(run.err().lines()).hasSize(2);
        assertThat(run.out()).isEqualTo(file + ": 2 rules, 2 bad\n");
    }

    @Test
    void aMissingFileIsValidAndSaysWhatItMeans() throws IOException {
        Path conf = conf(null);

        CliRun run = CliRun.of("cdb", "--conf", conf.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("missing: everyone may connect, nobody may relay");
    }
}
