package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageComposerTest {
    private static final long NOW = Instant.parse("2026-11-25T13:30:13Z").toEpochMilli();
    private static final Identity JOE = new Identity("joe", null, null, "joe", null,
            "host.example.com", "example.com", "plus.example.net", "id.example.com");

    private static ComposedMessage compose(Identity id, String input, String sender, List<String> args, boolean t)
            throws InjectException {
        LineInput lines = new LineInput(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), 1 << 20);
        return new MessageComposer(id, NOW, "20261125133013.42.1.qflux").compose(lines::next, sender, args, t);
    }

    private static String text(ComposedMessage m) {
        return new String(m.content(), StandardCharsets.UTF_8);
    }

    @Test
    void addsDateMessageIdFromAndCcToABareMessage() throws InjectException {
        ComposedMessage m = compose(JOE, "Subject: hi\n\nbody\n", null, List.of("ann@example.org"), false);
        assertThat(text(m)).isEqualTo("Date: 25 Nov 2026 13:30:13 -0000\r\n"
                + "Message-ID: <20261125133013.42.1.qflux@id.example.com>\r\n"
                + "From: joe@host.example.com\r\n"
                + "Cc: recipient list not shown: ;\r\n"
                + "Subject: hi\r\n"
                + "\r\n"
                + "body\r\n");
        assertThat(m.sender()).isEqualTo("joe@host.example.com");
        assertThat(m.recipients()).containsExactly("ann@example.org");
    }

    @Test
    void keepsFieldsThatArePresent() throws InjectException {
        String in = "From: Ann <ann@example.org>\nTo: bob@example.org\nDate: Tue, 24 Nov 2026 10:00:00 +0100\n"
                + "Message-ID: <x@y>\n\nbody\n";
        String out = text(compose(JOE, in, null, List.of("bob@example.org"), false));
        assertThat(out).isEqualTo("From: Ann <ann@example.org>\r\nTo: bob@example.org\r\n"
                + "Date: Tue, 24 Nov 2026 10:00:00 +0100\r\nMessage-ID: <x@y>\r\n\r\nbody\r\n");
    }

    @Test
    void recipientsFromToCcAndBccWithBccRemoved() throws InjectException {
        String in = "To: Ann <ann@example.org>, team: bob@example.org;\nCc: carl\nBcc: dora@example.net,\n eve\n"
                + "Subject: s\n\nbody\n";
        ComposedMessage m = compose(JOE, in, null, List.of(), true);
        assertThat(m.recipients()).containsExactly("ann@example.org", "bob@example.org", "carl@host.example.com",
                "dora@example.net", "eve@host.example.com");
        assertThat(text(m)).doesNotContainIgnoringCase("bcc").doesNotContain("dora").doesNotContain("eve")
                .contains("To: Ann <ann@example.org>, team: bob@example.org;\r\n")
                .contains("Cc: carl@host.example.com\r\n")
                .doesNotContain("recipient list not shown");
    }

    @Test
    void argumentsAndHeaderRecipientsTogetherWithoutDuplicates() throws InjectException {
        ComposedMessage m = compose(JOE, "To: ann@example.org\n\nx\n", null, List.of("ann@example.org", "zed"), true);
        assertThat(m.recipients()).containsExactly("ann@example.org", "zed@host.example.com");
    }

    @Test
    void withoutTTheHeaderNamesNobody() throws InjectException {
        ComposedMessage m = compose(JOE, "To: ann@example.org\n\nx\n", null, List.of("bob@example.org"), false);
        assertThat(m.recipients()).containsExactly("bob@example.org");
    }

    @Test
    void domainlessAndDotlessAddressesInTheHeaderAreCompleted() throws InjectException {
        String in = "From: ann\nReply-To: \"Ann B\" <ann@box>\nTo: bob@gnu+\n\nx\n";
        String out = text(compose(JOE, in, null, List.of("bob@gnu.plus.example.net"), false));
        assertThat(out).contains("From: ann@host.example.com\r\n")
                .contains("Reply-To: \"Ann B\" <ann@box.example.com>\r\n")
                .contains("To: bob@gnu.plus.example.net\r\n");
    }

    @Test
    void dashFSetsTheEnvelopeSenderAndTheFromInjectWrites() throws InjectException {
        Identity id = JOE.withSender("bounces@lists.example.org");
        ComposedMessage m = compose(id, "Subject: s\n\nx\n", "bounces@lists.example.org", List.of("a@b.example"), false);
        assertThat(m.sender()).isEqualTo("bounces@lists.example.org");
        assertThat(text(m)).contains("From: bounces@lists.example.org\r\n");
    }

    @Test
    void nullSenderWithDashF() throws InjectException {
        assertThat(compose(JOE, "\nx\n", "<>", List.of("a@b.example"), false).sender()).isEmpty();
        assertThat(compose(JOE, "\nx\n", "", List.of("a@b.example"), false).sender()).isEmpty();
    }

    @Test
    void dashFNameQuotedOrEncoded() throws InjectException {
        assertThat(text(compose(JOE.withFullName("Joe \"J\" Bloggs"), "\nx\n", null, List.of("a@b.example"), false)))
                .contains("From: \"Joe \\\"J\\\" Bloggs\" <joe@host.example.com>\r\n");
        assertThat(text(compose(JOE.withFullName("Jörg"), "\nx\n", null, List.of("a@b.example"), false)))
                .contains("From: =?UTF-8?B?SsO2cmc=?= <joe@host.example.com>\r\n");
    }

    @Test
    void returnPathBecomesTheSenderAndContentLengthGoes() throws InjectException {
        ComposedMessage m = compose(JOE, "Return-Path: <bounce@example.org>\nContent-Length: 5\n\nx\n", null,
                List.of("a@b.example"), false);
        assertThat(m.sender()).isEqualTo("bounce@example.org");
        assertThat(text(m)).doesNotContain("Return-Path").doesNotContain("Content-Length");
        ComposedMessage withF = compose(JOE, "Return-Path: <bounce@example.org>\n\nx\n", "f@example.org",
                List.of("a@b.example"), false);
        assertThat(withF.sender()).isEqualTo("f@example.org");
    }

    @Test
    void resentMessageGetsResentFieldsAndResentRecipients() throws InjectException {
        String in = "From: a@example.org\nTo: b@example.org\nDate: x\nMessage-ID: <m@x>\nResent-To: c@example.org\n\nx\n";
        ComposedMessage m = compose(JOE, in, null, List.of(), true);
        assertThat(m.recipients()).containsExactly("c@example.org");
        assertThat(text(m)).startsWith("Resent-Date: 25 Nov 2026 13:30:13 -0000\r\n"
                + "Resent-Message-ID: <20261125133013.42.1.qflux@id.example.com>\r\nResent-From: joe@host.example.com\r\n"
                + "From: a@example.org\r\n");
    }

    @Test
    void continuationLinesStayWithTheirField() throws InjectException {
        String out = text(compose(JOE, "Subject: one\n two\nTo: a@b.example\n\nx\n", null, List.of("a@b.example"), false));
        assertThat(out).contains("Subject: one\r\n two\r\nTo: a@b.example\r\n");
    }

    @Test
    void aLineThatIsNoFieldStartsTheBody() throws InjectException {
        String out = text(compose(JOE, "Subject: s\nhello there\nmore\n", null, List.of("a@b.example"), false));
        assertThat(out).endsWith("Subject: s\r\n\r\nhello there\r\nmore\r\n");
    }

    @Test
    void mboxFromLineIsKeptAsAField() throws InjectException {
        String out = text(compose(JOE, "From joe Wed Nov 25 13:30:13 2026\nSubject: s\n\nx\n", null,
                List.of("a@b.example"), false));
        assertThat(out).contains("MBOX-Line: From joe Wed Nov 25 13:30:13 2026\r\nSubject: s\r\n");
    }

    @Test
    void lineEndsBecomeCrlfAndABareCrEndsALine() throws InjectException {
        String out = text(compose(JOE, "Subject: s\r\n\r\none\rtwo\r\nthree", null, List.of("a@b.example"), false));
        assertThat(out).endsWith("Subject: s\r\n\r\none\r\ntwo\r\nthree\r\n");
        assertThat(out.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    }

    @Test
    void eightBitHeaderBytesPassUnchanged() throws InjectException {
        ComposedMessage m = compose(JOE, "Subject: Grüße\nTo: Jörg <jörg@example.org>\n\nx\n", null, List.of(), true);
        assertThat(text(m)).contains("Subject: Grüße\r\n").contains("To: Jörg <jörg@example.org>\r\n");
        assertThat(m.recipients()).containsExactly("jörg@example.org");
    }

    @Test
    void unparsableFromIsADataError() {
        assertThatThrownBy(() -> compose(JOE, "From: Joe Bloggs joe@example.org\n\nx\n", null, List.of("a@b.example"), false))
                .isInstanceOf(InjectException.class)
                .hasMessageContaining("unable to parse this header field: From: Joe Bloggs")
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(65));
    }

    @Test
    void unparsableToIsKeptWithoutTButRefusedWithT() throws InjectException {
        String in = "To: Joe Bloggs joe@example.org\n\nx\n";
        assertThat(text(compose(JOE, in, null, List.of("a@b.example"), false))).contains("To: Joe Bloggs joe@example.org\r\n");
        assertThatThrownBy(() -> compose(JOE, in, null, List.of(), true))
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(65));
    }

    @Test
    void overLongLineIsRefusedNamingIt() {
        String in = "Subject: s\n\nshort\n" + "x".repeat(999) + "\n";
        assertThatThrownBy(() -> compose(JOE, in, null, List.of("a@b.example"), false))
                .hasMessageContaining("line 4 is longer than 998 octets")
                .satisfies(e -> assertThat(((InjectException) e).exitCode()).isEqualTo(65));
    }

    @Test
    void a998OctetLineIsFine() throws InjectException {
        String line = "x".repeat(998);
        assertThat(text(compose(JOE, "\n" + line + "\n", null, List.of("a@b.example"), false))).endsWith(line + "\r\n");
    }
}
