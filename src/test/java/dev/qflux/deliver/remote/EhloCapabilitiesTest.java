package dev.qflux.deliver.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EhloCapabilitiesTest {
    @Test
    void readsTheKeywordsWeUse() {
        EhloCapabilities caps = EhloCapabilities.parse(new SmtpReply(250, List.of(
                "mx.example greets you", "pipelining", "SIZE 10240000", "8BITMIME", "STARTTLS",
                "SMTPUTF8", "ENHANCEDSTATUSCODES", "AUTH PLAIN LOGIN")));
        assertThat(caps).isEqualTo(new EhloCapabilities(true, 10_240_000, true, true, true));
        assertThat(caps.size()).isTrue();
    }

    @Test
    void ignoresTheGreetingLineAndUnknownKeywords() {
        EhloCapabilities caps = EhloCapabilities.parse(new SmtpReply(250, List.of("PIPELINING STARTTLS", "XFOO")));
        assertThat(caps).isEqualTo(EhloCapabilities.NONE);
        assertThat(caps.size()).isFalse();
    }

    @Test
    void sizeWithoutOrWithABadLimitMeansNoLimit() {
        assertThat(EhloCapabilities.parse(new SmtpReply(250, List.of("x", "SIZE"))).sizeLimit()).isZero();
        assertThat(EhloCapabilities.parse(new SmtpReply(250, List.of("x", "SIZE lots"))).sizeLimit()).isZero();
        assertThat(EhloCapabilities.parse(new SmtpReply(250, List.of("x", "  SIZE   512  "))).sizeLimit())
                .isEqualTo(512);
    }
}
