package dev.qflux.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void aHashMatchesItsPasswordOnly() {
        String h = PasswordHash.hash("s3cret".toCharArray(), 1000);
        assertThat(h).startsWith("$pbkdf2-sha256$1000$").doesNotContain("s3cret").doesNotContain(":");
        assertThat(PasswordHash.matches("s3cret", h)).isTrue();
        assertThat(PasswordHash.matches("s3creT", h)).isFalse();
        assertThat(PasswordHash.matches("", h)).isFalse();
    }

    @Test
    void saltMakesEveryHashDifferent() {
        assertThat(PasswordHash.hash("x".toCharArray(), 1000))
                .isNotEqualTo(PasswordHash.hash("x".toCharArray(), 1000));
    }

    @Test
    void defaultMeetsOwaspFloor() {
        assertThat(PasswordHash.DEFAULT_ITERATIONS).isGreaterThanOrEqualTo(210_000);
        assertThat(PasswordHash.hash("x".toCharArray(), PasswordHash.DEFAULT_ITERATIONS))
                .startsWith("$pbkdf2-sha256$600000$");
    }

    @Test
    void malformedHashesMatchNothingAndSayWhy() {
        assertThat(PasswordHash.matches("x", "plain")).isFalse();
        assertThat(PasswordHash.problem("plain")).contains("$pbkdf2-sha256$");
        assertThat(PasswordHash.problem("$pbkdf2-sha256$abc$AAAA$AAAA")).contains("iterations");
        assertThat(PasswordHash.problem("$pbkdf2-sha256$0$AAAA$AAAA")).contains("iterations");
        assertThat(PasswordHash.problem("$pbkdf2-sha256$10$AAAA")).contains("expected");
        assertThat(PasswordHash.problem("$pbkdf2-sha256$10$!!$AAAA")).isNotNull();
    }
}
