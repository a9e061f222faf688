package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressRewriterTest {
    private final AddressRewriter rewriter = new AddressRewriter(new Identity("joe", null, null, "joe", null,
            "host.example.com", "example.com", "plus.example.net", "id.example.com"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "joe@example.org, joe@example.org",
            "ann, ann@host.example.com",
            "ann@elysium, ann@elysium.example.com",
            "ann@gnu+, ann@gnu.plus.example.net",
            "ann@[192.0.2.1], ann@[192.0.2.1]",
            "'@relay.example:ann@example.org', ann@example.org",
            "ann@example.org., ann@example.org",
            "ann@, ann@host.example.com",
            "'\"odd@user\"', '\"odd@user\"@host.example.com'",
            "'', ''",
    })
    void completesAsQmailInject(String in, String out) {
        assertThat(rewriter.complete(in)).isEqualTo(out);
    }

    @ParameterizedTest(name = "defaulthost {0}")
    @CsvSource({"box, ann@box.example.com", "box+, ann@box.plus.example.net"})
    void defaultHostIsCompletedToo(String defaultHost, String out) {
        AddressRewriter r = new AddressRewriter(new Identity("joe", null, null, "joe", null,
                defaultHost, "example.com", "plus.example.net", "id"));
        assertThat(r.complete("ann")).isEqualTo(out);
    }
}
