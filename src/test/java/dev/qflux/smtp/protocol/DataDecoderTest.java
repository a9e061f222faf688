package dev.qflux.smtp.protocol;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class DataDecoderTest {

    private static final ByteBufAllocator ALLOC = PooledByteBufAllocator.DEFAULT;
    private static final byte[] TERMINATOR = bytes(".\r\n");
    /** A command pipelined right behind the data; it must stay unread. */
    private static final byte[] NEXT_COMMAND = bytes("MAIL FROM:<next@example.org>\r\nQUIT\r\n");

    static byte[] bytes(String s) {
        return s.getBytes(ISO_8859_1);
    }

    static String text(byte[] b) {
        return new String(b, ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** RFC 5321 4.5.2 transparency as a client applies it: a line starting with "." gets another. */
    static byte[] stuff(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && body[i - 2] == '\r' && body[i - 1] == '\n');
            if (lineStart && body[i] == '.') {
                out.write('.');
            }
            out.write(body[i]);
        }
        return out.toByteArray();
    }

    /** What the decoder saw: the content, whether it finished, and every input byte left unread. */
    record Decoded(String content, boolean done, String unread, int components) {
    }

    /**
     * Feeds the chunks one after another (stopping at the terminator) and checks reference counts:
     * the output holds the input only through slices, and releasing both leaves nothing behind.
     */
    static Decoded decode(List<byte[]> chunks) {
        DataDecoder decoder = new DataDecoder();
        CompositeByteBuf out = ALLOC.compositeBuffer(Integer.MAX_VALUE);
        List<ByteBuf> inputs = new ArrayList<>();
        StringBuilder unread = new StringBuilder();
        boolean done = false;
        for (byte[] chunk : chunks) {
            if (done) {
                unread.append(text(chunk));
                continue;
            }
            ByteBuf in = ALLOC.directBuffer(chunk.length).writeBytes(chunk);
            inputs.add(in);
            done = decoder.decode(in, out);
            if (done) {
                unread.append(in.toString(ISO_8859_1));
            } else {
                assertThat(in.isReadable()).as("a chunk is consumed unless it holds the terminator").isFalse();
            }
        }
        String content = out.toString(ISO_8859_1);
        int components = out.numComponents();
        assertThat(out.release()).isTrue();
        for (ByteBuf in : inputs) {
            assertThat(in.refCnt()).as("only the slices in the output retained the input").isEqualTo(1);
            assertThat(in.release()).isTrue();
        }
        return new Decoded(content, done, unread.toString(), components);
    }

    static Decoded decodeWhole(byte[] wire) {
        return decode(List.of(wire));
    }

    static List<Decoded> decodeEverySplit(byte[] wire) {
        List<Decoded> all = new ArrayList<>();
        for (int split = 0; split <= wire.length; split++) {
            all.add(decode(List.of(Arrays.copyOfRange(wire, 0, split), Arrays.copyOfRange(wire, split, wire.length))));
        }
        return all;
    }

    static Decoded decodeByteByByte(byte[] wire) {
        List<byte[]> chunks = new ArrayList<>();
        for (byte b : wire) {
            chunks.add(new byte[] {b});
        }
        return decode(chunks);
    }

    /** The content must come out whole however the wire form is cut. */
    static void assertDecodes(byte[] wire, String content, String unread) {
        Decoded expected = new Decoded(content, true, unread, -1);
        assertThat(withoutComponents(decodeWhole(wire))).isEqualTo(expected);
        assertThat(withoutComponents(decodeByteByByte(wire))).isEqualTo(expected);
        for (Decoded d : decodeEverySplit(wire)) {
            assertThat(withoutComponents(d)).isEqualTo(expected);
        }
    }

    static Decoded withoutComponents(Decoded d) {
        return new Decoded(d.content(), d.done(), d.unread(), -1);
    }

    static Stream<String> messages() {
        byte[] everyByte = new byte[256];
        for (int i = 0; i < 256; i++) {
            everyByte[i] = (byte) i;
        }
        return Stream.of(
                "",
                "\r\n",
                "abc\r\n",
                ".hidden\r\n",
                "..two dots\r\n",
                ".\r\n",
                "..\r\n",
                "a\r\n.\r\nb\r\n",
                "..\r\n...\r\n.\r\n.\r\n",
                "\r\n\r\n.\r\n\r\n",
                "Subject: dots\r\n\r\n.leading\r\n. \r\n.\r.\r\n",
                "x".repeat(3000) + "\r\n" + ".".repeat(5000) + "\r\n",
                text(everyByte) + "\r\n" + text(everyByte) + "\r\n",
                "a\u0000b\r\n\u0000\r\n.\u0000\r\n",
                "bare\rCR and\nbare LF\r\n",
                "\r\r\n.x\r\n",
                "ends in dot.\r\n");
    }

    @ParameterizedTest
    @MethodSource("messages")
    void decodesAtEverySplitPoint(String body) {
        byte[] wire = concat(stuff(bytes(body)), TERMINATOR, NEXT_COMMAND);
        assertDecodes(wire, body, text(NEXT_COMMAND));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void decodesAtEveryPairOfSplitPoints(String body) {
        byte[] wire = concat(stuff(bytes(body)), TERMINATOR, bytes("QUIT\r\n"));
        if (wire.length > 64) {
            return; // the long messages are covered by the two-piece and byte-by-byte runs
        }
        for (int i = 0; i <= wire.length; i++) {
            for (int j = i; j <= wire.length; j++) {
                Decoded d = decode(List.of(Arrays.copyOfRange(wire, 0, i), Arrays.copyOfRange(wire, i, j),
                        Arrays.copyOfRange(wire, j, wire.length)));
                assertThat(withoutComponents(d)).isEqualTo(new Decoded(body, true, "QUIT\r\n", -1));
            }
        }
    }

    @Test
    void exampleFromTheContract() {
        assertDecodes(bytes("abc\r\n.\r\n"), "abc\r\n", "");
        assertDecodes(bytes(".\r\n"), "", "");
        assertDecodes(bytes(".\r\nQUIT\r\n"), "", "QUIT\r\n");
    }

    /** Sequences that some servers take as end of data (SMTP smuggling): here they are content. */
    @ParameterizedTest
    @ValueSource(strings = {"\n.\n", "\n.\r\n", "\r.\n", "\r\n\u0000.\r\n", "\r.\r\n", "\n.\r\n", "\r\r\n.\r\n"})
    void smugglingSequencesNeverEndTheData(String sequence) {
        for (String body : List.of("head" + sequence + "tail\r\n", sequence + "tail\r\n",
                "head\r\n" + sequence + "tail\r\n", "head" + sequence + ".\r\n.tail\r\n")) {
            byte[] wire = concat(stuff(bytes(body)), TERMINATOR, NEXT_COMMAND);
            assertDecodes(wire, body, text(NEXT_COMMAND));
        }
    }

    @Test
    void aLeadingDotIsAlwaysDroppedEvenBeforeABareLineEnding() {
        // RFC 5321 4.5.2: a line starting with "." loses it; only "." CRLF is the terminator.
        assertDecodes(bytes("a\r\n.\nb\r\n.\r\n"), "a\r\n\nb\r\n", "");
        assertDecodes(bytes("a\r\n.\rX\r\n.\r\n"), "a\r\n\rX\r\n", "");
        assertDecodes(bytes("a\r\n.\r\r\n.\r\n"), "a\r\n\r\r\n", "");
        assertDecodes(bytes(".\r.\r\n.\r\n"), "\r.\r\n", "");
    }

    @Test
    void leavesEverythingAfterTheTerminatorUnread() {
        Decoded d = decodeWhole(bytes("x\r\n.\r\nRSET\r\n.\r\n"));
        assertThat(d).isEqualTo(new Decoded("x\r\n", true, "RSET\r\n.\r\n", 1));
    }

    @Test
    void withoutTerminatorEverythingIsConsumedAndNothingEnds() {
        Decoded d = decodeWhole(bytes("a\r\n..b\r\n.\r"));
        assertThat(d.done()).isFalse();
        assertThat(d.content()).isEqualTo("a\r\n.b\r\n"); // the final ".\r" is held back
        assertThat(d.unread()).isEmpty();
    }

    @Test
    void oneSlicePerRunBetweenRemovedDots() {
        String plain = "Subject: x\r\n\r\n" + "line of text\r\n".repeat(500);
        assertThat(decodeWhole(concat(bytes(plain), TERMINATOR)).components()).isEqualTo(1);
        assertThat(decodeWhole(bytes("..a\r\n.\r\n")).components()).isEqualTo(1);
        assertThat(decodeWhole(bytes("a\r\n..b\r\nc\r\n..d\r\n.\r\n")).components()).isEqualTo(3);
        // a held-back CR that turns out to be content is one shared component
        assertThat(decodeWhole(bytes("a\r\n.\rb\r\n.\r\n")).components()).isEqualTo(3);
    }

    @Test
    void outputSharesTheInputsMemory() {
        DataDecoder decoder = new DataDecoder();
        ByteBuf in = Unpooled.buffer().writeBytes(bytes("hello\r\n.\r\n"));
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        assertThat(decoder.decode(in, out)).isTrue();
        in.setByte(0, 'J');
        assertThat(out.toString(ISO_8859_1)).isEqualTo("Jello\r\n");
        assertThat(in.refCnt()).isEqualTo(2);
        out.release();
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void afterTheEndItConsumesNothingUntilReset() {
        DataDecoder decoder = new DataDecoder();
        ByteBuf in = Unpooled.buffer().writeBytes(bytes("a\r\n.\r\nb\r\n.\r\n"));
        CompositeByteBuf first = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        assertThat(decoder.decode(in, first)).isTrue();
        assertThat(decoder.decode(in, first)).isTrue();
        assertThat(first.toString(ISO_8859_1)).isEqualTo("a\r\n");
        assertThat(in.toString(ISO_8859_1)).isEqualTo("b\r\n.\r\n");

        decoder.reset();
        CompositeByteBuf second = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        assertThat(decoder.decode(in, second)).isTrue();
        assertThat(second.toString(ISO_8859_1)).isEqualTo("b\r\n");
        assertThat(in.isReadable()).isFalse();
        first.release();
        second.release();
        assertThat(in.release()).isTrue();
    }

    @Test
    void resetForgetsAHalfSeenTerminator() {
        DataDecoder decoder = new DataDecoder();
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        ByteBuf partial = Unpooled.buffer().writeBytes(bytes("x\r\n.\r"));
        assertThat(decoder.decode(partial, out)).isFalse();
        out.release();
        decoder.reset();
        CompositeByteBuf fresh = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        ByteBuf next = Unpooled.buffer().writeBytes(bytes("\nabc\r\n.\r\n"));
        assertThat(decoder.decode(next, fresh)).isTrue();
        assertThat(fresh.toString(ISO_8859_1)).isEqualTo("\nabc\r\n");
        fresh.release();
        partial.release();
        next.release();
    }

    @Test
    void emptyInputIsHarmless() {
        DataDecoder decoder = new DataDecoder();
        CompositeByteBuf out = Unpooled.compositeBuffer();
        assertThat(decoder.decode(Unpooled.EMPTY_BUFFER, out)).isFalse();
        assertThat(out.numComponents()).isZero();
        out.release();
    }

    /**
     * Random wire bytes, rich in CR, LF and dots, decoded whole and cut at random points, must agree
     * with each other and with a line-by-line reading of RFC 5321 4.5.2.
     */
    @Test
    void randomInputDecodesTheSameHoweverItIsCut() {
        Random random = new Random(5321);
        byte[] alphabet = bytes("\r\n.\r\n.ab\u0000\u00ff");
        for (int round = 0; round < 2000; round++) {
            byte[] wire = new byte[random.nextInt(80)];
            for (int i = 0; i < wire.length; i++) {
                wire[i] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            Decoded whole = withoutComponents(decodeWhole(wire));
            assertThat(whole).as(ByteBufUtil.hexDump(wire)).isEqualTo(reference(wire));
            List<byte[]> chunks = new ArrayList<>();
            int at = 0;
            while (at < wire.length) {
                int n = 1 + random.nextInt(Math.min(8, wire.length - at));
                chunks.add(Arrays.copyOfRange(wire, at, at + n));
                at += n;
            }
            assertThat(withoutComponents(decode(chunks))).as(ByteBufUtil.hexDump(wire)).isEqualTo(whole);
        }
    }

    /** RFC 5321 4.5.2 read line by line: CRLF-terminated lines, "." alone ends, a leading "." goes. */
    static Decoded reference(byte[] wire) {
        String s = text(wire);
        StringBuilder content = new StringBuilder();
        int pos = 0;
        while (true) {
            int crlf = s.indexOf("\r\n", pos);
            if (crlf < 0) {
                String rest = s.substring(pos);
                if (rest.startsWith(".")) {
                    rest = rest.equals(".\r") ? "" : rest.substring(1); // ".\r" may still be the end
                }
                content.append(rest);
                return new Decoded(content.toString(), false, "", -1);
            }
            String line = s.substring(pos, crlf);
            if (line.equals(".")) {
                return new Decoded(content.toString(), true, s.substring(crlf + 2), -1);
            }
            content.append(line.startsWith(".") ? line.substring(1) : line).append("\r\n");
            pos = crlf + 2;
        }
    }
}
