package dev.qflux.deliver.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DotStufferTest {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    @Test
    void stuffsLeadingDotsAndTerminates() {
        assertThat(encode("Subject: x\r\n\r\n.\r\n..two\r\na.b\r\n.")).isEqualTo(
                "Subject: x\r\n\r\n..\r\n...two\r\na.b\r\n..\r\n.\r\n");
    }

    @Test
    void givesTheSameBytesWhereverTheInputIsSplit() {
        String in = ".a\r\n\r\n.\r\nb.\r\n..\r\nend";
        String expected = "..a\r\n\r\n..\r\nb.\r\n...\r\nend\r\n.\r\n";
        byte[] bytes = in.getBytes(StandardCharsets.US_ASCII);
        for (int a = 0; a <= bytes.length; a++) {
            for (int b = a; b <= bytes.length; b++) {
                assertThat(encode(bytes, a, b)).as("split at %d, %d", a, b).isEqualTo(expected);
            }
        }
    }

    @Test
    void addsCrlfOnlyWhenMissing() {
        assertThat(encode("x\r\n")).isEqualTo("x\r\n.\r\n");
        assertThat(encode("x")).isEqualTo("x\r\n.\r\n");
        assertThat(encode("")).isEqualTo(".\r\n");
    }

    @Test
    void neverEmitsABareCrOrLf() {
        assertThat(encode("a\nb\rc\r\r\nd\r")).isEqualTo("a\r\nb\r\nc\r\n\r\nd\r\n.\r\n");
        assertThat(encode("a\r\n.b\n.c")).isEqualTo("a\r\n..b\r\n..c\r\n.\r\n");
    }

    @Test
    void passesEightBitBytesUnchanged() {
        byte[] in = {(byte) 0xc3, (byte) 0xa9, '\r', '\n', (byte) 0xff};
        DotStuffer stuffer = new DotStuffer();
        ByteBuf out = stuffer.encode(Unpooled.wrappedBuffer(in), ALLOC);
        ByteBuf end = stuffer.finish(ALLOC);
        byte[] got = new byte[out.readableBytes() + end.readableBytes()];
        out.readBytes(got, 0, out.readableBytes());
        end.readBytes(got, got.length - end.readableBytes(), end.readableBytes());
        out.release();
        end.release();
        assertThat(got).containsExactly(0xc3, 0xa9, '\r', '\n', 0xff, '\r', '\n', '.', '\r', '\n');
    }

    @Test
    void takes998OctetLinesAndRefusesLongerOnesAcrossPieces() {
        String max = "x".repeat(DotStuffer.MAX_LINE);
        assertThat(encode(max + "\r\n")).isEqualTo(max + "\r\n.\r\n");
        DotStuffer stuffer = new DotStuffer();
        stuffer.encode(Unpooled.copiedBuffer(max, StandardCharsets.US_ASCII), ALLOC).release();
        ByteBuf more = Unpooled.copiedBuffer("y", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> stuffer.encode(more, ALLOC)).isInstanceOf(DotStuffer.LineTooLongException.class);
        assertThat(more.refCnt()).isZero();
    }

    @Test
    void countsTheStuffedDotTowardsTheLimit() {
        String line = "." + "x".repeat(DotStuffer.MAX_LINE - 1);
        assertThatThrownBy(() -> encode(line + "\r\n")).isInstanceOf(DotStuffer.LineTooLongException.class);
    }

    @Test
    void releasesItsInput() {
        ByteBuf in = Unpooled.copiedBuffer("a\r\n", StandardCharsets.US_ASCII);
        new DotStuffer().encode(in, ALLOC).release();
        assertThat(in.refCnt()).isZero();
    }

    private static String encode(String in) {
        byte[] bytes = in.getBytes(StandardCharsets.US_ASCII);
        return encode(bytes, bytes.length, bytes.length);
    }

    private static String encode(byte[] bytes, int a, int b) {
        DotStuffer stuffer = new DotStuffer();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        append(out, stuffer.encode(Unpooled.wrappedBuffer(bytes, 0, a), ALLOC));
        append(out, stuffer.encode(Unpooled.wrappedBuffer(bytes, a, b - a), ALLOC));
        append(out, stuffer.encode(Unpooled.wrappedBuffer(bytes, b, bytes.length - b), ALLOC));
        append(out, stuffer.finish(ALLOC));
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static void append(ByteArrayOutputStream out, ByteBuf buf) {
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        buf.release();
        out.writeBytes(bytes);
    }
}
