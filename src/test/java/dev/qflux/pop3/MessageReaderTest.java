package dev.qflux.pop3;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The body conversion and the octet count must agree for every file, split anywhere. */
class MessageReaderTest {
    @TempDir
    Path dir;

    private static String read(MessageReader reader) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessageReader.Chunk chunk;
        boolean sawLast = false;
        while ((chunk = reader.next(UnpooledByteBufAllocator.DEFAULT)) != null) {
            assertThat(sawLast).as("nothing after the last chunk").isFalse();
            ByteBuf b = chunk.bytes();
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
            sawLast = chunk.last();
        }
        assertThat(sawLast).isTrue();
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** What a client keeps: the body without the terminator, un-stuffed. */
    private static String unstuffed(String wire) {
        assertThat(wire).endsWith(".\r\n");
        String body = wire.substring(0, wire.length() - 3);
        assertThat(body.isEmpty() || body.endsWith("\r\n")).isTrue();
        return ("\r\n" + body).replace("\r\n.", "\r\n").substring(2);
    }

    /** {@code \\n} and {@code \\r} in the table stand for LF and CR; {@code -} for nothing. */
    private static String unescape(String s) {
        return s.equals("-") ? "" : s.replace("\\n", "\n").replace("\\r", "\r");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "a\\nb\\n | a\\r\\nb\\r\\n",
            "a\\r\\nb | a\\r\\nb\\r\\n",
            "- | -",
            ".\\n..\\n | ..\\r\\n...\\r\\n",
            "x\\ry\\n | x\\ry\\r\\n"})
    void linesBecomeCrlfAndDotsAreDoubled(String file, String wire) throws Exception {
        Path f = dir.resolve("m");
        Files.writeString(f, unescape(file), StandardCharsets.ISO_8859_1);
        assertThat(read(MessageReader.whole(f))).isEqualTo(unescape(wire) + ".\r\n");
        assertThat(Maildrop.wireSize(f, "m")).isEqualTo(unstuffed(unescape(wire) + ".\r\n").length());
    }

    @Test
    void sizeMatchesWhatIsSentForRandomFilesAcrossChunkBorders() throws Exception {
        Random random = new Random(42);
        byte[] alphabet = {'a', '.', '\n', '\r', ' '};
        for (int round = 0; round < 40; round++) {
            int length = random.nextInt(3 * MessageReader.CHUNK);
            byte[] content = new byte[length];
            for (int i = 0; i < length; i++) {
                content[i] = alphabet[random.nextInt(alphabet.length)];
            }
            Path f = dir.resolve("r" + round);
            Files.write(f, content);
            String wire = read(MessageReader.whole(f));
            assertThat(unstuffed(wire).length()).as("round " + round)
                    .isEqualTo(Maildrop.wireSize(f, f.getFileName().toString()));
        }
    }

    @Test
    void topSendsTheHeaderTheBlankLineAndNBodyLines() throws Exception {
        Path f = dir.resolve("m");
        Files.writeString(f, "A: 1\nB: 2\n\none\n.two\nthree\n");
        assertThat(read(MessageReader.top(f, 0))).isEqualTo("A: 1\r\nB: 2\r\n\r\n.\r\n");
        assertThat(read(MessageReader.top(f, 2))).isEqualTo("A: 1\r\nB: 2\r\n\r\none\r\n..two\r\n.\r\n");
        assertThat(read(MessageReader.top(f, 99))).isEqualTo(read(MessageReader.whole(f)));
    }

    @Test
    void aStatedWireSizeInTheNameIsBelievedAndTheUidlStopsAtTheInfo() throws Exception {
        Path f = dir.resolve("1.M2,S=10,W=12:2,S");
        Files.writeString(f, "abc\n");
        assertThat(Maildrop.wireSize(f, f.getFileName().toString())).isEqualTo(12);
        assertThat(Maildrop.uid("1.M2,S=10,W=12:2,S")).isEqualTo("1.M2,S=10,W=12");
        assertThat(Maildrop.wireSize(f, "plain")).isEqualTo(5);
    }

    @Test
    void aClosedReaderGivesNothingMore() throws Exception {
        Path f = dir.resolve("m");
        Files.writeString(f, "x\n");
        MessageReader r = MessageReader.whole(f);
        r.close();
        assertThat(r.next(UnpooledByteBufAllocator.DEFAULT)).isNull();
    }
}
