package dev.qflux.smtp.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ContentInspectorTest {

    /** Everything the inspector reports, for comparing runs. */
    record Findings(boolean bare, boolean tooLong, int hops, long bytes, boolean eightBit) {
        static Findings of(ContentInspector inspector) {
            return new Findings(inspector.bareLineEnding(), inspector.lineTooLong(), inspector.hops(),
                    inspector.bytes(), inspector.eightBit());
        }
    }

    static ContentInspector inspect(int maxLine, String... chunks) {
        ContentInspector inspector = new ContentInspector(maxLine);
        for (String chunk : chunks) {
            ByteBuf buf = Unpooled.copiedBuffer(chunk, ISO_8859_1);
            inspector.inspect(buf);
            assertThat(buf.readerIndex()).isZero();
            buf.release();
        }
        inspector.finish();
        return inspector;
    }

    /** Inspects the content whole, byte by byte and cut at every point; all must agree. */
    static Findings inspectEveryWay(int maxLine, String content) {
        Findings whole = Findings.of(inspect(maxLine, content));
        String[] single = new String[content.length()];
        for (int i = 0; i < content.length(); i++) {
            single[i] = content.substring(i, i + 1);
        }
        assertThat(Findings.of(inspect(maxLine, single))).as("byte by byte").isEqualTo(whole);
        for (int split = 0; split <= content.length(); split++) {
            assertThat(Findings.of(inspect(maxLine, content.substring(0, split), content.substring(split))))
                    .as("split at %d", split).isEqualTo(whole);
        }
        return whole;
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab\rc\r\n", "\r", "ab\r", "\r\r\n", "a\r\rb\r\n", "x\r\n\r", "\rx"})
    void bareCrIsFoundAtEverySplit(String content) {
        assertThat(inspectEveryWay(998, content).bare()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "a\nb\r\n", "a\r\n\n", "a\r\n\nb", "\n.\r\n", "\r\n.\n"})
    void bareLfIsFoundAtEverySplit(String content) {
        assertThat(inspectEveryWay(998, content).bare()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab\r\n", "\r\n", "a\r\n\r\nb\r\n", "no line ending at all", "a\r\nb"})
    void crlfIsNotBareAtAnySplit(String content) {
        assertThat(inspectEveryWay(998, content).bare()).isFalse();
    }

    @Test
    void aCrAtTheEndOfAChunkWaitsForTheNext() {
        ContentInspector inspector = new ContentInspector(998);
        inspector.inspect(Unpooled.copiedBuffer("abc\r", ISO_8859_1));
        assertThat(inspector.bareLineEnding()).isFalse();
        inspector.inspect(Unpooled.copiedBuffer("\n", ISO_8859_1));
        assertThat(inspector.bareLineEnding()).isFalse();
        inspector.finish();
        assertThat(inspector.bareLineEnding()).isFalse();
    }

    @Test
    void aMessageEndingInALoneCrIsBareOnceFinished() {
        ContentInspector inspector = new ContentInspector(998);
        inspector.inspect(Unpooled.copiedBuffer("abc\r\nxyz\r", ISO_8859_1));
        assertThat(inspector.bareLineEnding()).isFalse();
        inspector.finish();
        assertThat(inspector.bareLineEnding()).isTrue();
    }

    @Test
    void bareLineEndingIsKnownMidStream() {
        ContentInspector inspector = new ContentInspector(998);
        inspector.inspect(Unpooled.copiedBuffer("abc\nmore", ISO_8859_1));
        assertThat(inspector.bareLineEnding()).isTrue();
    }

    @Test
    void countsTraceLinesInTheHeaderOnly() {
        String message = "Received: from a\r\n"
                + "\tby b; Received: folded, not a new line\r\n"
                + " Received: continuation\r\n"
                + "received:y\r\n"
                + "DELIVERED-TO: z\r\n"
                + "X-Received: no\r\n"
                + "Received-SPF: pass\r\n"
                + "Delivered-To:a@b\r\n"
                + "Delivered-From: no\r\n"
                + "Receive: no\r\n"
                + "Subject: Received: no\r\n"
                + "\r\n"
                + "Received: in the body\r\n"
                + "Delivered-To: in the body\r\n";
        assertThat(inspectEveryWay(998, message).hops()).isEqualTo(4);
    }

    @Test
    void hopsReachQmailsLimit() {
        String header = "Received: from x by y\r\n".repeat(ContentInspector.MAX_HOPS - 1) + "Delivered-To: a@b\r\n";
        ContentInspector inspector = inspect(998, header, "\r\nbody\r\n");
        assertThat(inspector.hops()).isEqualTo(100).isGreaterThanOrEqualTo(ContentInspector.MAX_HOPS);
    }

    @Test
    void aMessageWithoutBodyCountsAllItsHeader() {
        assertThat(inspect(998, "Received: a\r\nReceived: b\r\n").hops()).isEqualTo(2);
        assertThat(inspect(998, "\r\nReceived: a\r\n").hops()).isZero();
    }

    @Test
    void lineLengthAtAndOverTheLimitAtEverySplit() {
        assertThat(inspectEveryWay(10, "0123456789\r\n").tooLong()).isFalse();
        assertThat(inspectEveryWay(10, "0123456789\r\nabc\r\n").tooLong()).isFalse();
        assertThat(inspectEveryWay(10, "01234567890\r\n").tooLong()).isTrue();
        assertThat(inspectEveryWay(10, "short\r\n01234567890\r\nshort\r\n").tooLong()).isTrue();
        assertThat(inspectEveryWay(10, "0123456789\n").tooLong()).isFalse();
        assertThat(inspectEveryWay(10, "0123456789\r\r\n").tooLong()).isTrue(); // the first CR is content
        assertThat(inspectEveryWay(10, "0123456789").tooLong()).isFalse();
        assertThat(inspectEveryWay(10, "01234567890").tooLong()).isTrue();
        assertThat(inspectEveryWay(10, "\r\n\r\n").tooLong()).isFalse();
    }

    @Test
    void rfc5321TextLineLimit() {
        String atLimit = "x".repeat(ContentInspector.MAX_TEXT_LINE_OCTETS);
        assertThat(inspectEveryWay(ContentInspector.MAX_TEXT_LINE_OCTETS, atLimit + "\r\n").tooLong()).isFalse();
        assertThat(inspectEveryWay(ContentInspector.MAX_TEXT_LINE_OCTETS, atLimit + "x\r\n").tooLong()).isTrue();
    }

    @Test
    void anOverlongLineIsKnownBeforeItEnds() {
        ContentInspector inspector = new ContentInspector(10);
        inspector.inspect(Unpooled.copiedBuffer("0123456789\r", ISO_8859_1));
        assertThat(inspector.lineTooLong()).isFalse();
        inspector.inspect(Unpooled.copiedBuffer("x", ISO_8859_1));
        assertThat(inspector.lineTooLong()).isTrue();
    }

    @Test
    void eightBitAndBytes() {
        assertThat(inspectEveryWay(998, "plain\r\n\u007f\r\n")).isEqualTo(new Findings(false, false, 0, 10, false));
        assertThat(inspectEveryWay(998, "caf\u00e9\r\n").eightBit()).isTrue();
        assertThat(inspectEveryWay(998, "\u0080").eightBit()).isTrue();
        assertThat(inspectEveryWay(998, "\u00ff\u0000").eightBit()).isTrue();
        assertThat(inspect(998, "abc", "de\r\n", "").bytes()).isEqualTo(7);
    }

    @Test
    void resetStartsOver() {
        ContentInspector inspector = inspect(3, "Received: x\r\nlong line\n\u00ff\r");
        assertThat(Findings.of(inspector)).isEqualTo(new Findings(true, true, 1, 25, true));
        inspector.reset();
        assertThat(Findings.of(inspector)).isEqualTo(new Findings(false, false, 0, 0, false));
        inspector.inspect(Unpooled.copiedBuffer("Received: y\r\n", ISO_8859_1));
        inspector.finish();
        assertThat(Findings.of(inspector)).isEqualTo(new Findings(false, true, 1, 13, false));
    }

    @Test
    void refusesANegativeLimit() {
        assertThatThrownBy(() -> new ContentInspector(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Random content (long runs of text, CR, LF, 8-bit octets, trace headers) inspected whole, in
     * random chunks and byte by byte must agree with a plain line-by-line reading; this covers the
     * word-at-a-time fast path as well as the byte path.
     */
    @Test
    void randomContentAgreesWithALineByLineReading() {
        java.util.Random random = new java.util.Random(998);
        String[] pieces = {"\r\n", "\r", "\n", "Received: x", "DELIVERED-TO:", "\u00e9", "abcdefghijklmnop",
            "0123456789012345678901234567890123456789", " ", "\r\n\r\n", "\u0000"};
        for (int round = 0; round < 1500; round++) {
            StringBuilder sb = new StringBuilder();
            int n = random.nextInt(30);
            for (int i = 0; i < n; i++) {
                sb.append(pieces[random.nextInt(pieces.length)]);
            }
            String content = sb.toString();
            int maxLine = 5 + random.nextInt(60);
            Findings expected = reference(maxLine, content);
            assertThat(Findings.of(inspect(maxLine, content))).as(content).isEqualTo(expected);
            List<String> chunks = new ArrayList<>();
            int at = 0;
            while (at < content.length()) {
                int len = 1 + random.nextInt(Math.min(20, content.length() - at));
                chunks.add(content.substring(at, at + len));
                at += len;
            }
            assertThat(Findings.of(inspect(maxLine, chunks.toArray(String[]::new)))).as(content).isEqualTo(expected);
        }
    }

    static Findings reference(int maxLine, String s) {
        boolean bare = false;
        boolean eightBit = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            bare |= c == '\r' && (i + 1 == s.length() || s.charAt(i + 1) != '\n');
            bare |= c == '\n' && (i == 0 || s.charAt(i - 1) != '\r');
            eightBit |= c >= 0x80;
        }
        boolean tooLong = false;
        int hops = 0;
        boolean header = true;
        String[] lines = s.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean terminated = i < lines.length - 1;
            int length = terminated && line.endsWith("\r") ? line.length() - 1 : line.length();
            tooLong |= length > maxLine;
            if (header) {
                String lower = line.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("received:") || lower.startsWith("delivered-to:")) {
                    hops++;
                }
                header = !(terminated && length == 0);
            }
        }
        return new Findings(bare, tooLong, hops, s.length(), eightBit);
    }

    /** The DATA path as the session runs it: decoder output, slice by slice, into the inspector. */
    @ParameterizedTest
    @ValueSource(strings = {"a\n.\r\nb\r\n", "a\r.\r\nb\r\n", "a\r\n\u0000.\r\nb\n", "a\n.\nb\r\n", "\r.\nb\r\n"})
    void smuggledTerminatorsAreContentWithBareLineEndings(String body) {
        byte[] wire = (body + (body.endsWith("\r\n") ? "" : "\r\n") + ".\r\nQUIT\r\n").getBytes(ISO_8859_1);
        DataDecoder decoder = new DataDecoder();
        ContentInspector inspector = new ContentInspector(998);
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        List<ByteBuf> inputs = new ArrayList<>();
        boolean done = false;
        for (byte b : wire) {
            ByteBuf in = Unpooled.wrappedBuffer(new byte[] {b});
            inputs.add(in);
            int before = out.writerIndex();
            done = decoder.decode(in, out);
            inspector.inspect(out.slice(before, out.writerIndex() - before));
            if (done) {
                break;
            }
        }
        inspector.finish();
        assertThat(done).isTrue();
        assertThat(out.toString(ISO_8859_1)).startsWith(body).doesNotContain("QUIT");
        assertThat(inspector.bareLineEnding()).isTrue();
        out.release();
        inputs.forEach(ByteBuf::release);
    }
}
