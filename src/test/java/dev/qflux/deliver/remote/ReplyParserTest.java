package dev.qflux.deliver.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplyParserTest {
    private static final String INPUT = "220 mx.example ESMTP\r\n"
            + "250-mx.example\r\n250-PIPELINING\r\n250 SIZE 1000\r\n"
            + "354 go ahead\r\n"
            + "550\r\n";

    @Test
    void framesTheSameRepliesWhereverTheInputIsSplit() {
        byte[] bytes = INPUT.getBytes(StandardCharsets.US_ASCII);
        for (int a = 0; a <= bytes.length; a++) {
            for (int b = a; b <= bytes.length; b += 7) {
                ReplyParser parser = new ReplyParser();
                List<SmtpReply> out = new ArrayList<>();
                assertThat(feed(parser, bytes, 0, a, out)).isTrue();
                assertThat(feed(parser, bytes, a, b, out)).isTrue();
                assertThat(feed(parser, bytes, b, bytes.length, out)).isTrue();
                assertThat(out).as("split at %d and %d", a, b).containsExactly(
                        new SmtpReply(220, List.of("mx.example ESMTP")),
                        new SmtpReply(250, List.of("mx.example", "PIPELINING", "SIZE 1000")),
                        new SmtpReply(354, List.of("go ahead")),
                        new SmtpReply(550, List.of("")));
                assertThat(parser.hasPartialInput()).isFalse();
            }
        }
    }

    @Test
    void textJoinsLinesWithSlashes() {
        assertThat(new SmtpReply(250, List.of("a", "b")).text()).isEqualTo("250 a/250 b");
        assertThat(new SmtpReply(550, List.of("")).text()).isEqualTo("550");
    }

    @Test
    void acceptsBareLfAndStripsControlCharacters() {
        List<SmtpReply> out = parse("250 ok\n451 a\tb\u0001c\r\n");
        assertThat(out).containsExactly(new SmtpReply(250, List.of("ok")), new SmtpReply(451, List.of("a b c")));
    }

    @Test
    void keepsAPartialReplyUntilItEnds() {
        ReplyParser parser = new ReplyParser();
        List<SmtpReply> out = new ArrayList<>();
        parser.feed(buf("250-first\r\n25"), out);
        assertThat(out).isEmpty();
        assertThat(parser.hasPartialInput()).isTrue();
        parser.feed(buf("0 last\r\n"), out);
        assertThat(out).containsExactly(new SmtpReply(250, List.of("first", "last")));
    }

    @Test
    void refusesMixedCodesMissingCodesAndBadSeparators() {
        assertThat(failure("250-a\r\n251 b\r\n")).contains("differ");
        assertThat(failure("hello\r\n")).contains("code");
        assertThat(failure("25\r\n")).contains("code");
        assertThat(failure("250xok\r\n")).contains("code");
        assertThat(failure("150 ok\r\n")).contains("code");
        assertThat(failure("2a0 ok\r\n")).contains("code");
    }

    @Test
    void refusesAnOverlongLineWithoutWaitingForItsEnd() {
        assertThat(failure("250 " + "x".repeat(ReplyParser.MAX_LINE))).contains("line longer");
        assertThat(parse("250 " + "x".repeat(ReplyParser.MAX_LINE - 6) + "\r\n")).hasSize(1);
    }

    @Test
    void refusesATenThousandLineReplyAndIgnoresTheRest() {
        ReplyParser parser = new ReplyParser();
        List<SmtpReply> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < 10_000; i++) {
            ok &= parser.feed(buf("250-line " + i + "\r\n"), out);
        }
        ok &= parser.feed(buf("250 end\r\n220 more\r\n"), out);
        assertThat(ok).isFalse();
        assertThat(out).isEmpty();
        assertThat(parser.failure()).contains("lines");
    }

    @Test
    void refusesAReplyOverTheByteLimit() {
        String line = "250-" + "y".repeat(2000) + "\r\n";
        assertThat(failure(line.repeat(40) + "250 end\r\n")).contains("bytes");
    }

    @Test
    void consumesTheWholeBufferEvenAfterFailing() {
        ReplyParser parser = new ReplyParser();
        ByteBuf in = buf("junk\r\n250 ok\r\n");
        parser.feed(in, new ArrayList<>());
        assertThat(in.isReadable()).isFalse();
    }

    private static boolean feed(ReplyParser parser, byte[] bytes, int from, int to, List<SmtpReply> out) {
        return parser.feed(Unpooled.wrappedBuffer(bytes, from, to - from), out);
    }

    private static List<SmtpReply> parse(String text) {
        ReplyParser parser = new ReplyParser();
        List<SmtpReply> out = new ArrayList<>();
        assertThat(parser.feed(buf(text), out)).isTrue();
        return out;
    }

    private static String failure(String text) {
        ReplyParser parser = new ReplyParser();
        List<SmtpReply> out = new ArrayList<>();
        assertThat(parser.feed(buf(text), out)).isFalse();
        return parser.failure();
    }

    private static ByteBuf buf(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
    }
}
