package dev.qflux.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireTextTest {

    private static String header(String name, String value) {
        StringBuilder out = new StringBuilder();
        WireText.header(out, name, value);
        return out.toString();
    }

    /** RFC 5322 §2.2.3 unfolding: remove each CRLF that is followed by white space. */
    private static String unfold(String field) {
        return field.replace("\r\n ", " ").replaceAll("\r\n$", "");
    }

    @Test
    void aShortHeaderIsOneLine() {
        assertThat(header("Subject", "failure notice")).isEqualTo("Subject: failure notice\r\n");
    }

    @Test
    void aLongHeaderFoldsNear78AndUnfoldsToTheSameValue() {
        String value = "smtp; 550 5.7.1  two  spaces stay " + "word ".repeat(40).strip();
        String folded = header("Diagnostic-Code", value);

        assertThat(folded.split("\r\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(78));
        assertThat(folded.split("\r\n").length).isGreaterThan(2);
        assertThat(unfold(folded)).isEqualTo("Diagnostic-Code: " + value);
        assertThat(folded).doesNotContain("\r\n \r\n").doesNotContain("\r\n  ");
    }

    @Test
    void aWordLongerThanALineIsSplitWithinTheLimit() {
        String word = "é".repeat(1200); // 2,400 octets
        String folded = header("X-Long", word);

        for (String line : folded.split("\r\n")) {
            assertThat(line.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(WireText.MAX_LINE_OCTETS);
        }
        assertThat(folded.replace("\r\n ", "").replace("\r\n", "")).isEqualTo("X-Long: " + word);
    }

    @Test
    void longBodyLinesWrapAtASpaceWithinTheLimit() {
        List<String> lines = WireText.wrap("a".repeat(990) + " " + "b".repeat(20));
        assertThat(lines).containsExactly("a".repeat(990), "b".repeat(20));
        assertThat(WireText.wrap("c".repeat(2000))).containsExactly("c".repeat(998), "c".repeat(998), "cccc");
    }

    @Test
    void datesAreRfc5322InUtc() {
        assertThat(WireText.date(Instant.parse("2026-01-05T03:04:05Z"))).isEqualTo("Mon, 5 Jan 2026 03:04:05 +0000");
    }

    @Test
    void controlCharactersBecomeQuestionMarks() {
        assertThat(WireText.safe("a\r\nb\tc\u0000")).isEqualTo("a??b\tc?");
        assertThat(WireText.ascii("jörg\r")).isEqualTo("j?rg?");
    }
}
