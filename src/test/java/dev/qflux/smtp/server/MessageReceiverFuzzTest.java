package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.qflux.smtp.protocol.ContentInspector;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.Arrays;

/**
 * Fuzzes BDAT chunking (RFC 3030) as {@link MessageReceiver} takes it: chunks of any sizes, each
 * arriving in reads split anywhere. Invariants: every octet of every chunk is taken, and nothing
 * more; an accepted body is exactly the chunks joined; databytes and the receive budget hold
 * while reading; the verdict is the one the whole content deserves; and the budget is given back.
 */
class MessageReceiverFuzzTest {
    @FuzzTest(maxDuration = "10m")
    void bdatChunks(FuzzedDataProvider data) {
        long databytes = data.consumeBoolean() ? 0 : data.consumeLong(1, 4096);
        long limit = data.consumeLong(1, 1 << 16);
        ReceiveBudget budget = new ReceiveBudget(limit);
        int chunks = data.consumeInt(1, 6);
        int[] sizes = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            sizes[i] = data.consumeInt(0, 2048);
        }
        int readSize = data.consumeInt(1, 512);
        byte[] content = data.consumeRemainingAsBytes();

        MessageReceiver r = new MessageReceiver(PooledByteBufAllocator.DEFAULT, databytes, budget);
        int offset = 0;
        for (int size : sizes) {
            int chunkEnd = Math.min(content.length, offset + size);
            long left = chunkEnd - offset;
            while (left > 0) {
                int n = (int) Math.min(left, readSize);
                // Each read may carry bytes past the chunk (the next command): they must stay.
                ByteBuf in = Unpooled.wrappedBuffer(content, offset, Math.min(content.length - offset, n + 7));
                long took = r.readChunk(in, left);
                assertThat(took).isEqualTo(Math.min(left, in.capacity()));
                assertThat(in.readerIndex()).isEqualTo((int) took);
                in.release();
                offset += (int) took;
                left -= took;
                assertThat(budget.used()).isLessThanOrEqualTo(limit);
            }
        }
        byte[] whole = Arrays.copyOf(content, offset);
        ContentInspector expected = new ContentInspector(MessageReceiver.MAX_LINE_OCTETS);
        expected.inspect(Unpooled.wrappedBuffer(whole));
        expected.finish();
        MessageReceiver.Verdict verdict = r.verdict();
        assertThat(r.bytes()).isEqualTo(whole.length);
        if (expected.bareLineEnding()) {
            assertThat(verdict).isEqualTo(MessageReceiver.Verdict.BARE_LINE_ENDING);
        } else if (databytes > 0 && whole.length > databytes) {
            assertThat(verdict).isEqualTo(MessageReceiver.Verdict.TOO_BIG);
        }
        if (verdict == MessageReceiver.Verdict.OK) {
            ByteBuf body = r.takeBody();
            assertThat(ByteBufUtil.getBytes(body)).isEqualTo(whole);
            body.release();
            r.releaseBudget();
        } else {
            r.discard();
        }
        assertThat(budget.used()).isZero();
    }
}
