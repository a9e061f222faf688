package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlCatalogTest {
    @TempDir
    Path temp;

    private Set<String> catalogued() {
        return ControlCatalog.entries().stream().map(ControlCatalog.Entry::name)
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    @Test
    void everyControlFileTheLoadersReadIsCatalogued() throws ConfigException {
        ConfDir conf = ConfDir.withMe(temp);
        ControlReader reader = new ControlReader(conf.dir.resolve("control"));
        ConfigLoader.load(conf.dir, reader);

        assertThat(reader.namesRead()).as("control files read by the loaders").isNotEmpty();
        assertThat(catalogued()).containsAll(reader.namesRead());
    }

    @Test
    void theCatalogListsNothingStaleAndNoNameTwice() throws ConfigException {
        ConfDir conf = ConfDir.withMe(temp);
        ControlReader reader = new ControlReader(conf.dir.resolve("control"));
        ConfigLoader.load(conf.dir, reader);

        Set<String> notReadByLoaders = new LinkedHashSet<>(catalogued());
        notReadByLoaders.removeAll(reader.namesRead());
        // Local delivery (LocalSettings.load) and the admin endpoint (AdminConfigLoader, which the
        // verbs use alone) read their files without this reader.
        assertThat(notReadByLoaders).isSubsetOf("defaultdelivery", "timeoutlocal", "adminlisten", "adminopen",
                "draintimeout", "stopgrace");
        assertThat(catalogued()).hasSize(ControlCatalog.entries().size());
    }

    @Test
    void defaultsComeFromTheLoadedConfiguration() throws ConfigException {
        QfluxConfig config = ConfDir.withMe(temp).load();
        assertThat(ControlCatalog.find("helohost").orElseThrow().defaultValue().apply(config))
                .isEqualTo("mail.example.com");
        assertThat(ControlCatalog.find("concurrencyremote").orElseThrow().defaultValue().apply(config))
                .isEqualTo(Integer.toString(config.delivery().concurrencyRemote()));
        assertThat(ControlCatalog.find("timeoutsmtpd").orElseThrow().defaultValue().apply(config))
                .isEqualTo(Long.toString(config.timeoutSmtpd().toSeconds()));
    }

    @Test
    void misspellingsAreMatchedToTheClosestKnownName() {
        assertThat(ControlReport.distance("concurencyremote", "concurrencyremote")).isEqualTo(1);
        assertThat(ControlReport.distance("rcpthsots", "rcpthosts")).isEqualTo(1);
        assertThat(ControlReport.distance("me", "me")).isZero();
    }

    @Test
    void logFilesChooseFormatAndTimestamp() throws ConfigException {
        ConfDir conf = ConfDir.withMe(temp).control("logformat", "json\n").control("logtimestamp", "tai64n\n");
        assertThat(conf.load().log()).isEqualTo(new LogConfig(LogConfig.Format.JSON, LogConfig.Timestamp.TAI64N));
        assertThat(ConfDir.withMe(temp.resolve("b")).load().log()).isEqualTo(LogConfig.DEFAULT);
    }

    @Test
    void anUnknownLogFormatNamesFileAndLine() {
        ConfDir conf = ConfDir.withMe(temp).control("logformat", "xml\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(conf::load)
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("logformat") + ":1: expected one of qmail, json, got \"xml\"");
    }
}
