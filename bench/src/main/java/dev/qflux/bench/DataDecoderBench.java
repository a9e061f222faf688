package dev.qflux.bench;

import dev.qflux.smtp.protocol.ContentInspector;
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
 * fresh composite output per message, input in the slices a Netty read hands over, either as they
 * come ({@code direct}) or added to a composite cumulation the way the SMTP session holds its input
 * ({@code composite}). {@code decodeAndInspect} adds the {@link ContentInspector} pass the session
 * runs over each decoded range (bare line endings, line length, hops). The {@code megabytes}
 * counter gives MB/s of wire input; the primary score is messages/s.
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
    /** RFC 5322 2.1.1: at most 998 octets per line, the limit the session inspects content with. */
    private static final int MAX_LINE_OCTETS = 998;

    /** Message content size: the 4 KB of bench/accept, and a 1 MB attachment-sized one. */
    @Param({"4096", "1048576"})
    public int size;

    /** How each read reaches the decoder: a plain direct buffer, or inside a composite cumulation. */
    @Param({"direct", "composite"})
    public String input;

    private final ByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
    private final DataDecoder decoder = new DataDecoder();
    private final ContentInspector inspector = new ContentInspector(MAX_LINE_OCTETS);
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
        return run(bytes, false);
    }

    @Benchmark
    public int decodeAndInspect(Bytes bytes) {
        return run(bytes, true);
    }

    private int run(Bytes bytes, boolean inspect) {
        CompositeByteBuf out = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        try {
            decoder.reset();
            inspector.reset();
            int length = wire.readableBytes();
            boolean ended = false;
            for (int offset = 0; offset < length && !ended; offset += READ_CHUNK) {
                int before = out.writerIndex();
                ended = decodeRead(wire.slice(offset, Math.min(READ_CHUNK, length - offset)), out);
                if (inspect) {
                    inspector.inspect(out.slice(before, out.writerIndex() - before));
                }
            }
            if (!ended) {
                throw new IllegalStateException("terminator not found");
            }
            if (inspect) {
                inspector.finish();
                if (inspector.bareLineEnding() || inspector.lineTooLong()) {
                    throw new IllegalStateException("clean test message refused");
                }
            }
            bytes.megabytes += length / 1e6;
            return out.readableBytes();
        } finally {
            out.release();
        }
    }

    private boolean decodeRead(ByteBuf read, CompositeByteBuf out) {
        if (input.equals("direct")) {
            return decoder.decode(read, out);
        }
        CompositeByteBuf cumulation = alloc.compositeDirectBuffer(Integer.MAX_VALUE);
        try {
            cumulation.addComponent(true, read.retain());
            return decoder.decode(cumulation, out);
        } finally {
            cumulation.release();
        }
    }
}
