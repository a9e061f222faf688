package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SendmailArgsTest {

    private static InjectRequest parse(String... args) throws InjectException {
        return SendmailArgs.parse(List.of(args));
    }

    @Test
    void noFlagsReadsAMessageForTheArguments() throws InjectException {
        InjectRequest r = parse("joe@example.com", "ann");
        assertThat(r.smtp()).isFalse();
        assertThat(r.recipientsFromHeader()).isFalse();
        assertThat(r.dotEndsInput()).isTrue();
        assertThat(r.sender()).isNull();
        assertThat(r.recipients()).containsExactly("joe@example.com", "ann");
    }

    @Test
    void senderAndNameTakeAttachedOrSeparateValues() throws InjectException {
        assertThat(parse("-fbounce@example.com", "x@y.z").sender()).isEqualTo("bounce@example.com");
        assertThat(parse("-f", "bounce@example.com", "x@y.z").sender()).isEqualTo("bounce@example.com");
        assertThat(parse("-r", "old@example.com").sender()).isEqualTo("old@example.com");
        assertThat(parse("-F", "Joe Bloggs").fullName()).isEqualTo("Joe Bloggs");
        assertThat(parse("-FJoe").fullName()).isEqualTo("Joe");
        assertThat(parse("-f", "").sender()).isEmpty();
    }

    @Test
    void clusteredFlagsAsGetoptReadsThem() throws InjectException {
        InjectRequest r = parse("-ti", "-fme@example.com");
        assertThat(r.recipientsFromHeader()).isTrue();
        assertThat(r.dotEndsInput()).isFalse();
        assertThat(r.sender()).isEqualTo("me@example.com");
        assertThat(parse("-tf", "a@b.c").sender()).isEqualTo("a@b.c");
    }

    @Test
    void oiIsI() throws InjectException {
        assertThat(parse("-oi").dotEndsInput()).isFalse();
        assertThat(parse("-o", "i").dotEndsInput()).isFalse();
        assertThat(parse("-i").dotEndsInput()).isFalse();
    }

    @Test
    void modes() throws InjectException {
        assertThat(parse("-bs").smtp()).isTrue();
        assertThat(parse("-bm", "a@b.c").smtp()).isFalse();
        assertThatThrownBy(() -> parse("-bp")).isInstanceOf(InjectException.class)
                .hasMessageContaining("qflux qread")
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(Sysexits.USAGE));
        assertThatThrownBy(() -> parse("-bv", "a@b.c")).hasMessageContaining("-bv is not supported");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-oem", "-odi", "-odb", "-v", "-m", "-x", "-U", "-oQ/var/spool", "-Bsevenbit", "-N", "-Osomething=1"})
    void harmlessFlagsAreIgnored(String flag) throws InjectException {
        InjectRequest r = flag.equals("-N") ? parse(flag, "never", "a@b.c") : parse(flag, "a@b.c");
        assertThat(r.recipients()).containsExactly("a@b.c");
        assertThat(r.smtp()).isFalse();
    }

    @Test
    void doubleDashEndsTheFlags() throws InjectException {
        assertThat(parse("-t", "--", "-odd@example.com").recipients()).containsExactly("-odd@example.com");
    }

    @Test
    void flagsStopAtTheFirstRecipient() throws InjectException {
        assertThat(parse("a@b.c", "-t").recipients()).containsExactly("a@b.c", "-t");
    }

    @Test
    void unknownFlagIsAUsageErrorNamingIt() {
        assertThatThrownBy(() -> parse("-t", "-Q", "a@b.c"))
                .isInstanceOf(InjectException.class)
                .hasMessageContaining("unknown option -Q")
                .hasMessageContaining("usage: sendmail")
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(64));
    }

    @Test
    void missingValueIsAUsageError() {
        assertThatThrownBy(() -> parse("-f"))
                .hasMessageContaining("option -f needs a value")
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(64));
    }
}
