package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class DomainSetTest {
    private final DomainSet rcptHosts = DomainSet.of("example.com", ".example.net", "Mixed.Example.ORG.");

    @Test
    void exactEntryMatchesOnlyItself() {
        assertThat(rcptHosts.contains("example.com")).isTrue();
        assertThat(rcptHosts.contains("sub.example.com")).isFalse();
        assertThat(rcptHosts.contains("xexample.com")).isFalse();
        assertThat(rcptHosts.contains("com")).isFalse();
    }

    @Test
    void dotEntryMatchesEverySubdomainButNotTheParent() {
        assertThat(rcptHosts.contains("a.example.net")).isTrue();
        assertThat(rcptHosts.contains("a.b.c.example.net")).isTrue();
        assertThat(rcptHosts.contains("example.net")).isFalse();
        assertThat(rcptHosts.contains("aexample.net")).isFalse();
    }

    @Test
    void caseAndTrailingDotAreIgnored() {
        assertThat(rcptHosts.contains("EXAMPLE.Com")).isTrue();
        assertThat(rcptHosts.contains("example.com.")).isTrue();
        assertThat(rcptHosts.contains("A.Example.NET.")).isTrue();
        assertThat(rcptHosts.contains("mixed.example.org")).isTrue();
    }

    @Test
    void malformedQueriesMatchNothing() {
        assertThat(rcptHosts.contains("")).isFalse();
        assertThat(rcptHosts.contains(".")).isFalse();
        assertThat(rcptHosts.contains(".example.net")).isFalse();
    }

    @Test
    void exactOnlySetIgnoresSubdomains() {
        DomainSet locals = new HashDomainSet(Set.of("example.com"), false);
        assertThat(locals.contains("Example.com.")).isTrue();
        assertThat(locals.contains("a.example.com")).isFalse();
    }

    @Test
    void badEntriesAreRefused() {
        assertThatThrownBy(() -> DomainSet.of("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DomainSet.of(".")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DomainSet.of("user@example.com")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badMailFromMatchesAddressesAndWholeHosts() {
        AddressList bmf = AddressList.of("Spammer@Example.com", "@bad.example", "nodomain");
        assertThat(bmf.matches("spammer@example.com")).isTrue();
        assertThat(bmf.matches("SPAMMER@EXAMPLE.COM")).isTrue();
        assertThat(bmf.matches("other@example.com")).isFalse();
        assertThat(bmf.matches("anyone@bad.example")).isTrue();
        assertThat(bmf.matches("a@b@Bad.Example")).isTrue(); // qmail looks from the last @
        assertThat(bmf.matches("anyone@sub.bad.example")).isFalse();
        assertThat(bmf.matches("nodomain")).isTrue();
        assertThat(bmf.matches("")).isFalse();
        assertThat(AddressList.of().matches("x@y")).isFalse();
    }
}
