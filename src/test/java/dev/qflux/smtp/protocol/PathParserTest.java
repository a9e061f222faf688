package dev.qflux.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathParserTest {

    static MailPath mailOk(String argument) {
        PathResult result = PathParser.parseMailFrom(argument);
        assertThat(result).as(argument).isInstanceOf(PathResult.Ok.class);
        return ((PathResult.Ok) result).path();
    }

    static MailPath rcptOk(String argument) {
        PathResult result = PathParser.parseRcptTo(argument);
        assertThat(result).as(argument).isInstanceOf(PathResult.Ok.class);
        return ((PathResult.Ok) result).path();
    }

    static Reply mailBad(String argument) {
        PathResult result = PathParser.parseMailFrom(argument);
        assertThat(result).as(argument).isInstanceOf(PathResult.Bad.class);
        return ((PathResult.Bad) result).reply();
    }

    static Reply rcptBad(String argument) {
        PathResult result = PathParser.parseRcptTo(argument);
        assertThat(result).as(argument).isInstanceOf(PathResult.Bad.class);
        return ((PathResult.Bad) result).reply();
    }

    static String repeat(char c, int n) {
        return String.valueOf(c).repeat(n);
    }

    /** A valid hostname of exactly {@code octets} octets: labels of 60 "d"s, the last one shorter. */
    static String domainOf(int octets) {
        StringBuilder sb = new StringBuilder(("d".repeat(60) + ".").repeat(octets / 61 + 1).substring(0, octets));
        if (sb.charAt(octets - 1) == '.') {
            sb.setCharAt(octets - 1, 'd'); // a 61-octet last label instead of a trailing dot
        }
        assertThat(sb).hasSize(octets);
        return sb.toString();
    }

    @Nested
    class Shapes {

        @Test
        void plainPath() {
            MailPath p = mailOk("FROM:<alice@example.org>");
            assertThat(p.address()).isEqualTo("alice@example.org");
            assertThat(p.localPart()).isEqualTo("alice");
            assertThat(p.domain()).isEqualTo("example.org");
            assertThat(p.isNull()).isFalse();
            assertThat(p.isAscii()).isTrue();
            assertThat(p.params()).isEmpty();
        }

        @Test
        void keywordIsCaseInsensitive() {
            assertThat(mailOk("from:<a@b.example>").address()).isEqualTo("a@b.example");
            assertThat(rcptOk("tO:<a@b.example>").address()).isEqualTo("a@b.example");
        }

        @Test
        void spacesAfterColonAndTrailingSpacesAreTolerated() {
            assertThat(mailOk("FROM: <a@b.example>").address()).isEqualTo("a@b.example");
            assertThat(rcptOk("TO:   <a@b.example>   ").address()).isEqualTo("a@b.example");
        }

        @Test
        void bareAddressLikeQmail() {
            assertThat(mailOk("FROM:a@b.example").address()).isEqualTo("a@b.example");
            assertThat(rcptOk("TO: a@b.example  ").address()).isEqualTo("a@b.example");
            assertThat(rcptOk("TO:\"john doe\"@b.example").address()).isEqualTo("\"john doe\"@b.example");
        }

        @Test
        void bareAddressWithParametersIsRefused() {
            assertThat(mailBad("FROM:a@b.example SIZE=10")).isEqualTo(PathReplies.BAD_SENDER);
            assertThat(rcptBad("TO:a@b.example x")).isEqualTo(PathReplies.BAD_RECIPIENT);
        }

        @Test
        void missingKeyword() {
            assertThat(mailBad("<a@b.example>")).isEqualTo(PathReplies.MAIL_USAGE);
            assertThat(mailBad("FROM <a@b.example>")).isEqualTo(PathReplies.MAIL_USAGE);
            assertThat(mailBad("TO:<a@b.example>")).isEqualTo(PathReplies.MAIL_USAGE);
            assertThat(mailBad("")).isEqualTo(PathReplies.MAIL_USAGE);
            assertThat(rcptBad("FROM:<a@b.example>")).isEqualTo(PathReplies.RCPT_USAGE);
            assertThat(rcptBad("T:<a@b.example>")).isEqualTo(PathReplies.RCPT_USAGE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"FROM:", "FROM:   ", "FROM:<a@b.example", "FROM:< a@b.example>",
            "FROM:<a@b.example >", "FROM:<<a@b.example>>", "FROM:<\"a@b.example>",
            "FROM:<a b@c.example>"})
        void malformedSender(String argument) {
            assertThat(mailBad(argument)).isEqualTo(PathReplies.BAD_SENDER);
        }

        @Test
        void junkGluedToThePathIsAMalformedParameter() {
            assertThat(mailBad("FROM:<a@b.example>SIZE=1")).isEqualTo(PathReplies.MALFORMED_PARAMETER);
            assertThat(mailBad("FROM:<a@b.example>>")).isEqualTo(PathReplies.MALFORMED_PARAMETER);
        }
    }

    @Nested
    class NullAndPostmaster {

        @Test
        void nullReversePath() {
            MailPath p = mailOk("FROM:<>");
            assertThat(p.isNull()).isTrue();
            assertThat(p.address()).isEmpty();
            assertThat(p.localPart()).isEmpty();
            assertThat(p.domain()).isEmpty();
            assertThat(mailOk("FROM:<> SIZE=100").params()).containsEntry("SIZE", "100");
        }

        @Test
        void nullForwardPathIsRefused() {
            assertThat(rcptBad("TO:<>")).isEqualTo(PathReplies.NULL_RECIPIENT);
            assertThat(PathReplies.NULL_RECIPIENT.code()).isEqualTo(501);
            assertThat(PathReplies.NULL_RECIPIENT.enhanced()).isEqualTo("5.1.3");
        }

        @Test
        void postmasterWithoutDomainOnlyAsRecipient() {
            MailPath p = rcptOk("TO:<postmaster>");
            assertThat(p.address()).isEqualTo("postmaster");
            assertThat(p.domain()).isEmpty();
            assertThat(p.localPart()).isEqualTo("postmaster");
            assertThat(rcptOk("TO:<PostMaster>").address()).isEqualTo("PostMaster");
            assertThat(mailBad("FROM:<postmaster>")).isEqualTo(PathReplies.BAD_SENDER);
        }

        @Test
        void otherAddressesNeedADomain() {
            assertThat(rcptBad("TO:<alice>")).isEqualTo(PathReplies.BAD_RECIPIENT);
            assertThat(rcptBad("TO:<postmasters>")).isEqualTo(PathReplies.BAD_RECIPIENT);
            assertThat(rcptBad("TO:<postmaster@>")).isEqualTo(PathReplies.BAD_RECIPIENT);
            assertThat(mailBad("FROM:<alice>")).isEqualTo(PathReplies.BAD_SENDER);
        }
    }

    @Nested
    class SourceRoutes {

        @Test
        void routeIsDropped() {
            assertThat(mailOk("FROM:<@a.example,@b.example:user@host.example>").address())
                    .isEqualTo("user@host.example");
            assertThat(rcptOk("TO:<@a.example:user@host.example>").address()).isEqualTo("user@host.example");
            assertThat(rcptOk("TO:@a.example:user@host.example").address()).isEqualTo("user@host.example");
        }

        @ParameterizedTest
        @ValueSource(strings = {"TO:<@a.example>", "TO:<@a.example:>", "TO:<@:u@h.example>", "TO:<@a.example,u@h.example>",
            "TO:<@a.example,:u@h.example>", "TO:<@a_b.example:u@h.example>", "TO:<@a.example;@b:u@h.example>"})
        void malformedRoutes(String argument) {
            assertThat(rcptBad(argument)).isEqualTo(PathReplies.BAD_RECIPIENT);
        }
    }

    @Nested
    class LocalParts {

        @ParameterizedTest
        @ValueSource(strings = {"a", "a.b", "a.b.c", "user+tag", "a%b", "host!user", "o'brien",
            "!#$%&'*+-/=?^_`{|}~", "1234"})
        void dotStrings(String local) {
            MailPath p = rcptOk("TO:<" + local + "@example.org>");
            assertThat(p.localPart()).isEqualTo(local);
            assertThat(p.domain()).isEqualTo("example.org");
        }

        @ParameterizedTest
        @ValueSource(strings = {".a", "a.", "a..b", ".", "a(b)", "a,b", "a;b", "a[b", "a\\b", "a\"b", "a:b", "a<b"})
        void badDotStrings(String local) {
            assertThat(rcptBad("TO:<" + local + "@example.org>")).isEqualTo(PathReplies.BAD_RECIPIENT);
            assertThat(mailBad("FROM:<" + local + "@example.org>")).isEqualTo(PathReplies.BAD_SENDER);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"john doe\"", "\"a@b\"", "\"a>b\"", "\"a%b!c\"", "\"\"", "\"a\\\"b\"",
            "\"a\\\\b\"", "\"a\\ b\"", "\"..\"", "\"a,b:c;d\""})
        void quotedLocalPartsAreKeptAsWritten(String local) {
            MailPath p = rcptOk("TO:<" + local + "@example.org>");
            assertThat(p.address()).isEqualTo(local + "@example.org");
            assertThat(p.localPart()).isEqualTo(local);
            assertThat(p.domain()).isEqualTo("example.org");
            assertThat(mailOk("FROM:<" + local + "@example.org> SIZE=1").localPart()).isEqualTo(local);
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"unterminated@example.org", "\"a\"b@example.org", "a\"b\"@example.org",
            "\"a\"\"b\"@example.org", "\"tab\there\"@example.org", "\"a\\\u0001\"@example.org", "\"a\\\"@example.org"})
        void badQuotedLocalParts(String address) {
            assertThat(rcptBad("TO:<" + address + ">")).isEqualTo(PathReplies.BAD_RECIPIENT);
        }
    }

    @Nested
    class Domains {

        @ParameterizedTest
        @ValueSource(strings = {"example.org", "EXAMPLE.ORG", "localhost", "a-b.example", "1.2.3.4", "x1.y2",
            "xn--mnchen-3ya.example", "a.b.c.d.e.f.g"})
        void validHostnames(String domain) {
            assertThat(rcptOk("TO:<u@" + domain + ">").domain()).isEqualTo(domain);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", ".", "example.org.", ".example.org", "a..b", "-a.example", "a-.example",
            "a_b.example", "a b.example", "exa!mple.org", "ex@mple.org"})
        void invalidHostnames(String domain) {
            assertThat(rcptBad("TO:<u@" + domain + ">")).isEqualTo(PathReplies.BAD_RECIPIENT);
        }

        @Test
        void labelLengthLimit() {
            assertThat(rcptOk("TO:<u@" + repeat('a', 63) + ".example>").domain()).startsWith("aaa");
            assertThat(rcptBad("TO:<u@" + repeat('a', 64) + ".example>")).isEqualTo(PathReplies.BAD_RECIPIENT);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[192.0.2.1]", "[0.0.0.0]", "[255.255.255.255]", "[IPv6:2001:db8::1]",
            "[ipv6:2001:DB8::1]", "[IPv6:::1]", "[IPv6:1:2:3:4:5:6:7:8]", "[IPv6:::ffff:192.0.2.1]"})
        void addressLiterals(String literal) {
            MailPath p = rcptOk("TO:<u@" + literal + ">");
            assertThat(p.domain()).isEqualTo(literal);
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "[192.0.2]", "[192.0.2.256]", "[192.0.2.1.5]", "[1234.0.2.1]", "[192.0.2.1",
            "192.0.2.1]", "[IPv6:]", "[IPv6:2001:db8::1::2]", "[IPv6:fe80::1%eth0]", "[IPv6:12345::]",
            "[IPv6:192.0.2.1]", "[x-tag:abc]", "[192.0.2.a]", "[ 192.0.2.1]", "[192.0.2.1]x"})
        void badAddressLiterals(String literal) {
            assertThat(rcptBad("TO:<u@" + literal + ">")).isEqualTo(PathReplies.BAD_RECIPIENT);
        }
    }

    @Nested
    class Lengths {

        @Test
        void localPartLimit() {
            String atLimit = repeat('l', PathParser.MAX_LOCAL_PART_OCTETS);
            assertThat(mailOk("FROM:<" + atLimit + "@example.org>").localPart()).hasSize(64);
            assertThat(rcptOk("TO:<" + atLimit + "@example.org>").localPart()).hasSize(64);
            assertThat(mailBad("FROM:<" + atLimit + "l@example.org>"))
                    .isEqualTo(PathReplies.SENDER_LOCAL_PART_TOO_LONG);
            assertThat(rcptBad("TO:<" + atLimit + "l@example.org>"))
                    .isEqualTo(PathReplies.RECIPIENT_LOCAL_PART_TOO_LONG);
        }

        @Test
        void quotedLocalPartLimitCountsQuotes() {
            String atLimit = "\"" + repeat('q', 62) + "\"";
            assertThat(rcptOk("TO:<" + atLimit + "@example.org>").localPart()).hasSize(64);
            assertThat(rcptBad("TO:<\"" + repeat('q', 63) + "\"@example.org>"))
                    .isEqualTo(PathReplies.RECIPIENT_LOCAL_PART_TOO_LONG);
        }

        @Test
        void localPartLimitIsInOctets() {
            // "é" is two octets in UTF-8: 32 of them are 64 octets, 33 are 66.
            assertThat(rcptOk("TO:<" + repeat('é', 32) + "@example.org>").isAscii()).isFalse();
            assertThat(rcptBad("TO:<" + repeat('é', 33) + "@example.org>"))
                    .isEqualTo(PathReplies.RECIPIENT_LOCAL_PART_TOO_LONG);
        }

        @Test
        void pathLimit() {
            // "<" + 64 + "@" + 189 + ">" = 256 octets
            String local = repeat('l', 64);
            String atLimit = "<" + local + "@" + domainOf(189) + ">";
            assertThat(atLimit).hasSize(PathParser.MAX_PATH_OCTETS);
            assertThat(mailOk("FROM:" + atLimit).domain()).hasSize(189);
            assertThat(rcptOk("TO:" + atLimit + " ").domain()).hasSize(189);
            String over = "<" + local + "@" + domainOf(190) + ">";
            assertThat(mailBad("FROM:" + over)).isEqualTo(PathReplies.SENDER_PATH_TOO_LONG);
            assertThat(rcptBad("TO:" + over)).isEqualTo(PathReplies.RECIPIENT_PATH_TOO_LONG);
        }

        @Test
        void bareAddressCountsAsIfBracketed() {
            String local = repeat('l', 64);
            assertThat(rcptOk("TO:" + local + "@" + domainOf(189)).domain()).hasSize(189);
            assertThat(rcptBad("TO:" + local + "@" + domainOf(190))).isEqualTo(PathReplies.RECIPIENT_PATH_TOO_LONG);
        }

        @Test
        void sourceRouteCountsTowardsThePath() {
            // "<" + "@r.example:" (11) + 64 + "@" + 178 + ">" = 256 octets
            String address = repeat('l', 64) + "@" + domainOf(178);
            assertThat(rcptOk("TO:<@r.example:" + address + ">").address()).isEqualTo(address);
            assertThat(rcptBad("TO:<@rr.example:" + address + ">")).isEqualTo(PathReplies.RECIPIENT_PATH_TOO_LONG);
        }

        @Test
        void domainLimit() {
            // 255 octets fit the domain limit, but no path holding them fits in 256 octets.
            assertThat(rcptBad("TO:<u@" + domainOf(PathParser.MAX_DOMAIN_OCTETS) + ">"))
                    .isEqualTo(PathReplies.RECIPIENT_PATH_TOO_LONG);
            assertThat(rcptBad("TO:<u@" + domainOf(PathParser.MAX_DOMAIN_OCTETS + 1) + ">"))
                    .isEqualTo(PathReplies.RECIPIENT_DOMAIN_TOO_LONG);
            assertThat(mailBad("FROM:<u@" + domainOf(PathParser.MAX_DOMAIN_OCTETS + 1) + ">"))
                    .isEqualTo(PathReplies.SENDER_DOMAIN_TOO_LONG);
        }

        @Test
        void tooLongRepliesAre501WithAddressCodes() {
            assertThat(PathReplies.SENDER_PATH_TOO_LONG.code()).isEqualTo(501);
            assertThat(PathReplies.SENDER_PATH_TOO_LONG.enhanced()).isEqualTo("5.1.7");
            assertThat(PathReplies.RECIPIENT_DOMAIN_TOO_LONG.enhanced()).isEqualTo("5.1.3");
        }
    }

    @Nested
    class Utf8 {

        @Test
        void nonAsciiAddressesParse() {
            MailPath p = rcptOk("TO:<用户@例子.广告>");
            assertThat(p.isAscii()).isFalse();
            assertThat(p.localPart()).isEqualTo("用户");
            assertThat(p.domain()).isEqualTo("例子.广告");
            assertThat(mailOk("FROM:<jöran@bücher.example> SMTPUTF8").params()).containsEntry("SMTPUTF8", "");
            assertThat(rcptOk("TO:<\"ü x\"@example.org>").isAscii()).isFalse();
            assertThat(rcptOk("TO:<astral\uD83D\uDE00@example.org>").isAscii()).isFalse();
        }

        @Test
        void invalidUtf8IsRefused() {
            assertThat(rcptBad("TO:<a\uFFFDb@example.org>")).isEqualTo(PathReplies.RECIPIENT_NOT_UTF8);
            assertThat(mailBad("FROM:<ab@exa\uFFFDmple.org>")).isEqualTo(PathReplies.SENDER_NOT_UTF8);
            assertThat(mailBad("FROM:<ab@example.org> AUTH=a\uFFFD")).isEqualTo(PathReplies.MALFORMED_PARAMETER);
        }

        @Test
        void smtputf8ReplyIsRfc6531() {
            assertThat(PathReplies.NEEDS_SMTPUTF8.code()).isEqualTo(553);
            assertThat(PathReplies.NEEDS_SMTPUTF8.enhanced()).isEqualTo("5.6.7");
        }
    }
}
