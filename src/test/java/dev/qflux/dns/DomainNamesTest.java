package dev.qflux.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DomainNamesTest {
    @Test
    void ordinaryNamesBecomeAbsoluteLowercaseNames() {
        assertThat(DomainNames.parse("Example.COM").toString()).isEqualTo("example.com.");
        assertThat(DomainNames.parse("example.com.").toString()).isEqualTo("example.com.");
        assertThat(DomainNames.parse("a-b.9x.test").toString()).isEqualTo("a-b.9x.test.");
    }

    @Test
    void unicodeDomainsAreLookedUpByTheirALabels() {
        assertThat(DomainNames.parse("bücher.example").toString()).isEqualTo("xn--bcher-kva.example.");
    }

    @Test
    void addressLiteralsAreTheCallersToHandle() {
        assertThatThrownBy(() -> DomainNames.parse("[192.0.2.1]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address literal");
    }

    @Test
    void malformedNamesAreRefused() {
        String longLabel = "a".repeat(64);
        String longName = ("a".repeat(60) + ".").repeat(5) + "test";
        for (String bad : new String[] {"", ".", "a..b", "-a.test", "a-.test", "under_score.test",
                "sp ace.test", "a@b.test", longLabel + ".test", longName}) {
            assertThatThrownBy(() -> DomainNames.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
