package dev.qflux.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.ControlCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowctlCommandTest {
    @TempDir
    Path temp;

    private Path conf(String... nameThenContent) throws IOException {
        Path conf = temp.resolve("conf");
        Files.createDirectories(conf.resolve("control"));
        Files.writeString(conf.resolve("control/me"), "mail.example.com\n");
        for (int i = 0; i < nameThenContent.length; i += 2) {
            Files.writeString(conf.resolve("control").resolve(nameThenContent[i]), nameThenContent[i + 1]);
        }
        return conf;
    }

    @Test
    void listsEveryKnownControlFileWithValueAndSource() throws IOException {
        Path conf = conf("rcpthosts", "# ours\nexample.com\n.example.net\n", "concurrencyremote", "5\n");

        CliRun run = CliRun.of("showctl", "--conf", conf.toString());

        assertThat(run.status()).as(run.err()).isZero();
        for (ControlCatalog.Entry e : ControlCatalog.entries()) {
            assertThat(run.out()).containsPattern("(?m)^" + e.name() + " ");
        }
        Path control = conf.resolve("control");
        assertThat(run.out())
                .containsPattern("(?m)^me +mail\\.example\\.com  \\(" + quote(control.resolve("me") + ":1") + "\\)$")
                .containsPattern("(?m)^rcpthosts +example\\.com  \\(" + quote(control.resolve("rcpthosts") + ":2") + "\\)$")
                .containsPattern("(?m)^ +\\.example\\.net  \\(" + quote(control.resolve("rcpthosts") + ":3") + "\\)$")
                .containsPattern("(?m)^concurrencyremote +5  \\(" + quote(control.resolve("concurrencyremote") + ":1") + "\\)$")
                .containsPattern("(?m)^concurrencylocal +10  \\(default\\)$")
                .containsPattern("(?m)^helohost +mail\\.example\\.com  \\(default\\)$")
                .doesNotContain("warning");
    }

    @Test
    void flagsAnUnknownFileAndSuggestsTheIntendedOne() throws IOException {
        Path conf = conf("concurencyremote", "5\n");

        CliRun run = CliRun.of("showctl", "--conf", conf.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains("warning: " + conf.resolve("control/concurencyremote")
                + ": not a control file qflux reads (did you mean concurrencyremote?)");
        assertThat(run.out()).containsPattern("(?m)^concurrencyremote +20  \\(default\\)$");
    }

    @Test
    void aQmailLeftoverIsNotedNotFlagged() throws IOException {
        Path conf = conf("morercpthosts.cdb", "binary\n");

        CliRun run = CliRun.of("showctl", "--conf", conf.toString());

        assertThat(run.status()).isZero();
        assertThat(run.out()).contains("note: " + conf.resolve("control/morercpthosts.cdb")
                + ": not read: qmail-newmrh's compiled file; qflux reads morercpthosts itself");
    }

    @Test
    void aBadControlFileIsAConfigErrorNamingFileAndLine() throws IOException {
        Path conf = conf("databytes", "lots\n");

        CliRun run = CliRun.of("showctl", "--conf", conf.toString());

        assertThat(run.status()).isEqualTo(78);
        assertThat(run.err()).contains(conf.resolve("control/databytes") + ":1: not a number: \"lots\"");
    }

    private static String quote(String s) {
        return java.util.regex.Pattern.quote(s);
    }
}
