package dev.qflux.deliver.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Sinks;

/**
 * Fuzzes what a remote SMTP server can send us: {@link ReplyParser} fed in pieces split anywhere,
 * and {@link ReplyReader} in a pipeline. Invariants: no exception; every reply has a code from
 * 200 to 599, at most MAX_LINES lines and MAX_REPLY_BYTES bytes (memory stays bounded whatever
 * arrives), texts without control characters; how the input is split never changes the replies
 * or the verdict; a reader that has read more unasked replies than it keeps has closed.
 */
class ReplyParserFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void replies(FuzzedDataProvider data) {
        int piece = data.consumeInt(1, 600);
        byte[] input = data.consumeRemainingAsBytes();

        List<SmtpReply> whole = new ArrayList<>();
        ReplyParser one = new ReplyParser();
        boolean wholeOk = one.feed(Unpooled.wrappedBuffer(input), whole);

        List<SmtpReply> split = new ArrayList<>();
        ReplyParser pieces = new ReplyParser();
        boolean splitOk = true;
        for (int i = 0; i < input.length && splitOk; i += piece) {
            splitOk = pieces.feed(Unpooled.wrappedBuffer(input, i, Math.min(piece, input.length - i)), split);
        }
        assertThat(splitOk).isEqualTo(wholeOk);
        assertThat(split).isEqualTo(whole);
        assertThat(pieces.failure()).isEqualTo(one.failure());
        for (SmtpReply r : whole) {
            assertThat(r.code()).isBetween(200, 599);
            assertThat(r.lines()).hasSizeLessThanOrEqualTo(ReplyParser.MAX_LINES);
            int bytes = 0;
            for (String line : r.lines()) {
                assertThat(line.chars().noneMatch(c -> c < 0x20 || c == 0x7f)).isTrue();
                bytes += line.length();
            }
            assertThat(bytes).isLessThanOrEqualTo(ReplyParser.MAX_REPLY_BYTES);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void reader(FuzzedDataProvider data) {
        int asked = data.consumeInt(0, 12);
        byte[] input = data.consumeRemainingAsBytes();
        EmbeddedChannel channel = new EmbeddedChannel();
        ReplyReader reader = new ReplyReader(channel);
        channel.pipeline().addLast(reader);
        List<Sinks.One<SmtpReply>> sinks = new ArrayList<>();
        for (int i = 0; i < asked; i++) {
            sinks.add(Sinks.one());
        }
        reader.claim(sinks);
        channel.writeInbound(Unpooled.wrappedBuffer(input));
        channel.checkException();

        List<SmtpReply> parsed = new ArrayList<>();
        boolean ok = new ReplyParser().feed(Unpooled.wrappedBuffer(input), parsed);
        if (!ok || parsed.size() - asked > ReplyReader.MAX_UNCLAIMED) {
            assertThat(reader.broken()).isTrue();
            assertThat(channel.isOpen()).isFalse();
        } else {
            assertThat(channel.isOpen()).isTrue();
        }
        channel.finishAndReleaseAll();
    }
}
