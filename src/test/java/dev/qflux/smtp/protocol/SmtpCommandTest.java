package dev.qflux.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SmtpCommandTest {

    @ParameterizedTest(name = "[{0}] -> {1} [{2}]")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
        "'EHLO client.example'        | EHLO     | 'client.example'",
        "'ehlo client.example'        | EHLO     | 'client.example'",
        "'HeLo x'                     | HELO     | 'x'",
        "'MAIL FROM:<a@b.example>'    | MAIL     | 'FROM:<a@b.example>'",
        "'mail from:<a@b.example>'    | MAIL     | 'from:<a@b.example>'",
        "'RCPT TO:<a@b> NOTIFY=NEVER' | RCPT     | 'TO:<a@b> NOTIFY=NEVER'",
        // qmail's commands.c skips every space after the verb; trailing ones stay
        "'MAIL    FROM:<a@b>  '       | MAIL     | 'FROM:<a@b>  '",
        "'DATA'                       | DATA     | ''",
        "'DATA '                      | DATA     | ''",
        "'BDAT 100 LAST'              | BDAT     | '100 LAST'",
        "'RSET'                       | RSET     | ''",
        "'noop anything'              | NOOP     | 'anything'",
        "'QUIT'                       | QUIT     | ''",
        "'VRFY postmaster'            | VRFY     | 'postmaster'",
        "'EXPN list'                  | EXPN     | 'list'",
        "'HELP'                       | HELP     | ''",
        "'StartTLS'                   | STARTTLS | ''",
        "'AUTH PLAIN AGFAAGI='        | AUTH     | 'PLAIN AGFAAGI='",
        "''                           | UNKNOWN  | ''",
        "' MAIL FROM:<a@b>'           | UNKNOWN  | 'MAIL FROM:<a@b>'",
        "'MAIL:FROM'                  | UNKNOWN  | ''",
        "'MAIL\tFROM:<a@b>'           | UNKNOWN  | ''",
        "'MAI1 x'                     | UNKNOWN  | 'x'",
        "'MAILX'                      | UNKNOWN  | ''",
        "'MAI'                        | UNKNOWN  | ''",
        "'UNKNOWN'                    | UNKNOWN  | ''",
        "'GET / HTTP/1.0'             | UNKNOWN  | '/ HTTP/1.0'",
        // Unicode letters must not fold onto a verb (U+0130 lower-cases to "i" plus a dot)
        "'MA\u0130L x'                | UNKNOWN  | 'x'",
    })
    void parsesLikeQmail(String line, Verb verb, String argument) {
        SmtpCommand command = SmtpCommand.parse(line);
        assertThat(command.verb()).isEqualTo(verb);
        assertThat(command.argument()).isEqualTo(argument);
    }

    @Test
    void controlCharactersMakeTheVerbUnknown() {
        assertThat(SmtpCommand.parse("STARTTLS\u0000").verb()).isEqualTo(Verb.UNKNOWN);
        assertThat(SmtpCommand.parse("DATA\r").verb()).isEqualTo(Verb.UNKNOWN);
        assertThat(SmtpCommand.parse("\u0000DATA").verb()).isEqualTo(Verb.UNKNOWN);
        assertThat(SmtpCommand.parse("RSET\r x")).isEqualTo(new SmtpCommand(Verb.UNKNOWN, "x"));
    }
}
