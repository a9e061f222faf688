package dev.qflux.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Fuzzes MAIL FROM / RCPT TO argument parsing with ESMTP parameters. Invariants: no exception;
 * an accepted path is within RFC 5321's lengths, holds no control character, space outside a
 * quoted local part, or undecodable octet; its parameters are only the known ones with valid
 * values; and writing it back as {@code <address> params} parses to the same thing.
 */
class PathParserFuzzTest {
    private static final Set<String> MAIL_PARAMETERS = Set.of("SIZE", "BODY", "SMTPUTF8", "AUTH");

    @FuzzTest(maxDuration = "10m")
    void mailFrom(byte[] input) {
        String arg = new String(input, StandardCharsets.UTF_8);
        PathResult result = PathParser.parseMailFrom(arg);
        check(result, true);
        if (result instanceof PathResult.Ok ok) {
            assertThat(PathParser.parseMailFrom(unparse("FROM:", ok.path()))).isEqualTo(result);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void rcptTo(byte[] input) {
        String arg = new String(input, StandardCharsets.UTF_8);
        PathResult result = PathParser.parseRcptTo(arg);
        check(result, false);
        if (result instanceof PathResult.Ok ok) {
            assertThat(ok.path().address()).isNotEmpty();
            assertThat(ok.path().params()).isEmpty();
            assertThat(PathParser.parseRcptTo(unparse("TO:", ok.path()))).isEqualTo(result);
        }
    }

    private static void check(PathResult result, boolean mail) {
        if (result instanceof PathResult.Bad bad) {
            assertThat(bad.reply().code()).isBetween(500, 599);
            assertThat(bad.reply().enhanced()).isNotNull();
            return;
        }
        MailPath path = ((PathResult.Ok) result).path();
        String a = path.address();
        assertThat(a.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(PathParser.MAX_PATH_OCTETS);
        assertThat(path.localPart().getBytes(StandardCharsets.UTF_8).length)
                .isLessThanOrEqualTo(PathParser.MAX_LOCAL_PART_OCTETS + 2); // quotes may hold an @
        assertThat(a.chars().noneMatch(c -> c < 0x20 || c == 0x7f || c == 0xfffd)).as(a).isTrue();
        if (!a.startsWith("\"")) {
            assertThat(a).doesNotContain(" ", "<", ">", "\"");
        }
        assertThat(a).doesNotStartWith("@"); // a source route is dropped
        for (Map.Entry<String, String> p : path.params().entrySet()) {
            assertThat(mail && MAIL_PARAMETERS.contains(p.getKey())).as(p.getKey()).isTrue();
            assertThat(p.getValue().chars().noneMatch(c -> c <= ' ' || c == 0x7f || c == '=')).isTrue();
            if (p.getKey().equals("SIZE")) {
                assertThat(p.getValue()).matches("[0-9]+");
            }
        }
    }

    private static String unparse(String keyword, MailPath path) {
        StringBuilder b = new StringBuilder(keyword).append('<').append(path.address()).append('>');
        path.params().forEach((k, v) -> b.append(' ').append(k).append(v.isEmpty() ? "" : "=" + v));
        return b.toString();
    }
}
