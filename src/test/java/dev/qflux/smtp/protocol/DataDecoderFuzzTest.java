package dev.qflux.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Fuzzes DATA decoding, fed in pieces split anywhere. Invariants: the decoder stops exactly after
 * the first CRLF "." CRLF of the input (or ".\r\n" at its very start) and nowhere else; its
 * output is the unstuffed content before it (compared with a plain reference); splitting the
 * input differently never changes that; and the output, dot-stuffed again for a next hop, never
 * holds an end-of-data before its own terminator (no smuggling through us). The inspector must
 * see a bare CR or LF whenever the content has one.
 */
class DataDecoderFuzzTest {
    private static final byte[] END = {'\r', '\n', '.', '\r', '\n'};

    @FuzzTest(maxDuration = "10m")
    void decode(FuzzedDataProvider data) {
        int pieces = data.consumeInt(1, 8);
        int[] cuts = new int[pieces - 1];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, 4096);
        }
        byte[] input = data.consumeRemainingAsBytes();

        DataDecoder decoder = new DataDecoder();
        ContentInspector inspector = new ContentInspector(ContentInspector.MAX_TEXT_LINE_OCTETS);
        CompositeByteBuf out = Unpooled.compositeBuffer(Integer.MAX_VALUE);
        int consumed = 0;
        boolean done = false;
        try {
            int from = 0;
            for (int p = 0; p < pieces && !done; p++) {
                int to = p < cuts.length ? Math.min(input.length, from + cuts[p]) : input.length;
                ByteBuf in = Unpooled.wrappedBuffer(input, from, to - from);
                int before = out.writerIndex();
                done = decoder.decode(in, out);
                inspector.inspect(out.slice(before, out.writerIndex() - before));
                consumed += in.readerIndex();
                if (!done) {
                    assertThat(in.isReadable()).isFalse();
                }
                from = to;
            }
            byte[] decoded = ByteBufUtil.getBytes(out);
            int end = terminator(input);
            assertThat(done).isEqualTo(end >= 0);
            if (done) {
                assertThat(consumed).isEqualTo(end);
                byte[] content = unstuff(Arrays.copyOf(input, end - 3));
                assertThat(decoded).isEqualTo(content);
                assertThat(terminator(stuff(decoded))).isEqualTo(stuff(decoded).length);
                if (hasBareLineEnding(content)) {
                    inspector.finish();
                    assertThat(inspector.bareLineEnding()).isTrue();
                }
            } else {
                assertThat(consumed).isEqualTo(input.length);
            }
        } finally {
            out.release();
        }
    }

    /** Just past the first end-of-data, or -1. */
    static int terminator(byte[] b) {
        if (b.length >= 3 && b[0] == '.' && b[1] == '\r' && b[2] == '\n') {
            return 3;
        }
        outer:
        for (int i = 0; i + END.length <= b.length; i++) {
            for (int k = 0; k < END.length; k++) {
                if (b[i + k] != END[k]) {
                    continue outer;
                }
            }
            return i + END.length;
        }
        return -1;
    }

    /** Reference: drop the first octet of every line (after CRLF, or at the start) that is a dot. */
    static byte[] unstuff(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < b.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && b[i - 2] == '\r' && b[i - 1] == '\n');
            if (!(lineStart && b[i] == '.')) {
                out.write(b[i]);
            }
        }
        return out.toByteArray();
    }

    /** What a next hop is sent: a dot added to every line starting with one, then CRLF.CRLF. */
    static byte[] stuff(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < content.length; i++) {
            boolean lineStart = i == 0 || (i >= 2 && content[i - 2] == '\r' && content[i - 1] == '\n');
            if (lineStart && content[i] == '.') {
                out.write('.');
            }
            out.write(content[i]);
        }
        int n = content.length;
        if (n > 0 && !(n >= 2 && content[n - 2] == '\r' && content[n - 1] == '\n')) {
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        out.writeBytes(new byte[] {'.', '\r', '\n'});
        return out.toByteArray();
    }

    static boolean hasBareLineEnding(byte[] b) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == '\r' && (i + 1 >= b.length || b[i + 1] != '\n')) {
                return true;
            }
            if (b[i] == '\n' && (i == 0 || b[i - 1] != '\r')) {
                return true;
            }
        }
        return false;
    }
}
