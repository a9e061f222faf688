package dev.qflux.smtp.protocol;

import static dev.qflux.smtp.protocol.PathParserTest.mailBad;
import static dev.qflux.smtp.protocol.PathParserTest.mailOk;
import static dev.qflux.smtp.protocol.PathParserTest.rcptBad;
import static dev.qflux.smtp.protocol.PathParserTest.rcptOk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The ESMTP parameters after MAIL and RCPT paths. */
class PathParametersTest {


    @Test
    void knownMailParameters() {
        MailPath p = mailOk("FROM:<a@b.example> size=12345 Body=8bitmime SMTPUTF8 AUTH=user+2Bx@b.example");
        assertThat(p.params()).isEqualTo(Map.of(
                "SIZE", "12345", "BODY", "8BITMIME", "SMTPUTF8", "", "AUTH", "user+2Bx@b.example"));
    }

    @Test
    void severalSpacesBetweenParameters() {
        assertThat(mailOk("FROM:<a@b.example>   SIZE=1    BODY=7BIT  ").params())
                .isEqualTo(Map.of("SIZE", "1", "BODY", "7BIT"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"7BIT", "8BITMIME", "BINARYMIME", "binarymime"})
    void bodyValues(String value) {
        assertThat(mailOk("FROM:<a@b.example> BODY=" + value).params().get("BODY"))
                .isEqualTo(value.toUpperCase(Locale.ROOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIZE", "SIZE=-1", "SIZE=1k", "SIZE=+1", "SIZE=1.0", "SIZE=0x10"})
    void badSize(String param) {
        assertThat(mailBad("FROM:<a@b.example> " + param)).isEqualTo(PathReplies.BAD_SIZE);
    }

    @Test
    void sizeKeepsAllDigits() {
        assertThat(mailOk("FROM:<a@b.example> SIZE=0").params()).containsEntry("SIZE", "0");
        assertThat(mailOk("FROM:<a@b.example> SIZE=99999999999999999999999").params().get("SIZE")).hasSize(23);
    }

    @ParameterizedTest
    @ValueSource(strings = {"BODY", "BODY=8BIT", "BODY=7BITS", "BODY=MIME"})
    void badBody(String param) {
        assertThat(mailBad("FROM:<a@b.example> " + param)).isEqualTo(PathReplies.BAD_BODY);
    }

    @Test
    void smtputf8TakesNoValue() {
        assertThat(mailBad("FROM:<a@b.example> SMTPUTF8=yes")).isEqualTo(PathReplies.BAD_SMTPUTF8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTH=<>", "AUTH=a@b.example", "AUTH=a+2Bb+3D@b.example", "AUTH=+41"})
    void authXtext(String param) {
        assertThat(mailOk("FROM:<a@b.example> " + param).params()).containsEntry("AUTH", param.substring(5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"AUTH", "AUTH=a+2bb", "AUTH=a+2", "AUTH=a+", "AUTH=a+ZZ", "AUTH=é"})
    void badAuth(String param) {
        assertThat(mailBad("FROM:<a@b.example> " + param)).isEqualTo(PathReplies.BAD_AUTH);
    }

    @ParameterizedTest
    @ValueSource(strings = {"NOTIFY=NEVER", "ORCPT=rfc822;a@b.example", "X-FOO", "RET=HDRS", "ENVID=x"})
    void unknownParameters(String param) {
        assertThat(mailBad("FROM:<a@b.example> " + param)).isEqualTo(PathReplies.UNSUPPORTED_PARAMETER);
        assertThat(rcptBad("TO:<a@b.example> " + param)).isEqualTo(PathReplies.UNSUPPORTED_PARAMETER);
        assertThat(PathReplies.UNSUPPORTED_PARAMETER.code()).isEqualTo(555);
        assertThat(PathReplies.UNSUPPORTED_PARAMETER.enhanced()).isEqualTo("5.5.4");
    }

    @Test
    void rcptKnowsNoParametersYet() {
        assertThat(rcptBad("TO:<a@b.example> SIZE=10")).isEqualTo(PathReplies.UNSUPPORTED_PARAMETER);
        assertThat(rcptOk("TO:<a@b.example>   ").params()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIZE=1 SIZE=1", "SIZE=1 size=2", "BODY=7BIT BODY=8BITMIME", "SMTPUTF8 smtputf8",
        "AUTH=<> SIZE=3 AUTH=<>"})
    void duplicates(String params) {
        assertThat(mailBad("FROM:<a@b.example> " + params)).isEqualTo(PathReplies.DUPLICATE_PARAMETER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"=1", "SIZE=", "-SIZE=1", "SI_ZE=1", "SIZE==1", "SIZE=1=2", "SIZE:1", "SÍZE=1"})
    void malformed(String param) {
        assertThat(mailBad("FROM:<a@b.example> " + param)).isEqualTo(PathReplies.MALFORMED_PARAMETER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SIZE=1\r", "SIZE=1\rBODY=7BIT", "SIZE=1\n", "SIZE=1\u0000", "SIZE=1\tBODY=7BIT",
        "\u0000", "BODY=7BIT\u007f", "SMTPUTF8\r\nRCPT TO:<x@y.example>"})
    void controlCharacters(String params) {
        assertThat(mailBad("FROM:<a@b.example> " + params)).isEqualTo(PathReplies.CONTROL_IN_PARAMETERS);
        assertThat(rcptBad("TO:<a@b.example> " + params)).isEqualTo(PathReplies.CONTROL_IN_PARAMETERS);
    }

    @Test
    void controlCharactersInTheAddressAreAddressSyntax() {
        assertThat(rcptBad("TO:<a\rb@example.org>")).isEqualTo(PathReplies.BAD_RECIPIENT);
        assertThat(rcptBad("TO:<ab@exam\u0000ple.org>")).isEqualTo(PathReplies.BAD_RECIPIENT);
        assertThat(mailBad("FROM:<ab@example.org\n>")).isEqualTo(PathReplies.BAD_SENDER);
    }

    @Test
    void addressErrorsComeBeforeParameterErrors() {
        assertThat(mailBad("FROM:<a..b@example.org> FOO")).isEqualTo(PathReplies.BAD_SENDER);
    }

    @Test
    void paramsMapIsImmutable() {
        Map<String, String> params = mailOk("FROM:<a@b.example> SIZE=1").params();
        assertThatThrownBy(() -> params.put("X", "y"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
