package dev.qflux.bench;

import dev.qflux.smtp.protocol.DataDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of {@link DataDecoder#decode(ByteBuf, CompositeByteBuf)} over one message's wire form,
 * from the first byte after DATA's 354 to the terminating CRLF "." CRLF, as a session runs it: a
 * fresh composite output per message, input in the slices a Netty read hands over. The
 * {@code megabytes} counter gives MB/s of wire input; the primary score is messages/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DataDecoderBench {

    /** Netty's adaptive receive buffer grows to at most 64 KiB per read (AdaptiveRecvByteBufAllocator). */
    private static final int READ_CHUNK = 64 * 1024;

    /** Message content size: the 4 KB of bench/accept, and a 1 MB attachment-sized one. */
    @Param({"4096", "1048576"})
    public int size;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final DataDecoder decoder = new DataDecoder();
    private ByteBuf wire;

    /** Megabytes (10^6 bytes) of wire input decoded; JMH reports it per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Bytes {
        public double megabytes;

        @Setup(Level.Iteration)
        public void clear() {
            megabytes = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = WireMessages.wireForm(size);
        // Netty reads sockets into direct buffers.
        wire = alloc.directBuffer(bytes.length).writeBytes(bytes);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        wire.release();
    }

    @Benchmark
    public int decode(Bytes bytes) {
        CompositeByteBuf out = alloc.compositeBuffer(Integer.MAX_VALUE);
        try {
            decoder.reset();
            int length = wire.readableBytes();
            boolean ended = false;
            for (int offset = 0; offset < length && !ended; offset += READ_CHUNK) {
                ended = decoder.decode(wire.slice(offset, Math.min(READ_CHUNK, length - offset)), out);
            }
            if (!ended) {
                throw new IllegalStateException("terminator not found");
            }
            bytes.megabytes += length / 1e6;
            return out.readableBytes();
        } finally {
            out.release();
        }
    }
}
