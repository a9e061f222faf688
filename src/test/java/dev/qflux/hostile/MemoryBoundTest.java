package dev.qflux.hostile;

import static dev.qflux.hostile.HostileServer.STRANGER;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.internal.PlatformDependent;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Overlong input costs the server a fixed amount of memory, not memory in proportion to the
 * input: tens of MiB of command line, DATA line or BDAT chunk, and a burst of pipelined commands,
 * each over a real socket to the server in this JVM. Direct memory (Netty's buffers) is sampled
 * while the input streams in and its peak compared with the level before; the heap is measured
 * after a GC once the input is in, with the connection still open. Each input ends with the
 * precise refusal and the session (or the next one) goes on.
 */
class MemoryBoundTest {
    private static final int MIB = 1024 * 1024;
    /**
     * What a session may hold while refusing overlong input: the read buffers in flight and the
     * allocator's granularity, whatever the input's length. The inputs are 4 to 64 MiB.
     */
    private static final long BOUND = 8L * MIB;
    /** The client writes in pieces: one huge write would fill the JDK's own direct buffer cache. */
    private static final int PIECE = 64 * 1024;

    @TempDir
    static Path dir;
    static HostileServer server;

    @BeforeAll
    static void start() throws Exception {
        server = HostileServer.start(dir);
        server.stillServes(); // the allocator's first chunks are not the input's doing
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void commandLinesOf4And16And64MiBWithoutNewline() throws Exception {
        for (int mib : new int[] {4, 16, 64}) {
            try (Wire c = server.connect(STRANGER)) {
                Growth g = Growth.during(() -> junk(c, (long) mib * MIB, (byte) 'A'));
                g.assertBounded(mib + " MiB command line");
                c.expect("", "500 5.5.2 line too long");
                c.expect("NOOP", "250 2.0.0 ok");
            }
        }
        server.stillServes();
    }

    @Test
    void aDataLineOf64MiB() throws Exception {
        int before = server.queued().size();
        try (Wire c = server.connect(STRANGER)) {
            FramingTest.toData(c);
            Growth g = Growth.during(() -> junk(c, 64L * MIB, (byte) 'q'));
            g.assertBounded("64 MiB DATA line");
            assertThat(c.command("\r\n.")).isEqualTo("552 5.3.4 sorry, that message size exceeds my databytes limit");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    @Test
    void aBdatChunkOf64MiB() throws Exception {
        int before = server.queued().size();
        long size = 64L * MIB;
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO big.example", "250");
            c.expect("MAIL FROM:<a@example.org>", "250 2.1.0 ok");
            c.expect("RCPT TO:<b@localhost>", "250 2.1.5 ok");
            c.send("BDAT " + size + " LAST");
            Growth g = Growth.during(() -> junk(c, size - 2, (byte) 'b'));
            g.assertBounded("64 MiB BDAT chunk");
            c.raw("\r\n");
            assertThat(c.reply()).isEqualTo("552 5.3.4 sorry, that message size exceeds my databytes limit");
            c.expect("RSET", "250 2.0.0 flushed");
        }
        assertThat(server.queued()).hasSize(before);
        server.stillServes();
    }

    /**
     * 10,000 pipelined commands of almost 4 KiB each (40 MiB) written while the replies are read:
     * the server stops reading while its replies wait, so neither side's buffers grow.
     */
    @Test
    void aBurstOf10000PipelinedCommands() throws Exception {
        int lines = 10_000;
        byte[] line = ("NOOP " + "x".repeat(4096 - 7) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        try (Wire c = server.connect(STRANGER)) {
            c.expect("EHLO burst.example", "250");
            Growth g = Growth.during(() -> {
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    byte[] burst = new byte[line.length * 16];
                    for (int i = 0; i < 16; i++) {
                        System.arraycopy(line, 0, burst, i * line.length, line.length);
                    }
                    for (int i = 0; i < lines / 16; i++) {
                        if (!c.tryRaw(burst)) {
                            throw new IllegalStateException("the server closed during the burst");
                        }
                    }
                });
                for (int i = 0; i < lines; i++) {
                    String reply = c.reply();
                    if (!reply.equals("250 2.0.0 ok")) {
                        throw new AssertionError("reply " + i + " to the burst: " + reply);
                    }
                }
                writer.get(Wire.READ_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            });
            g.assertBounded("10,000 pipelined commands");
            c.expect("NOOP", "250 2.0.0 ok");
        }
        server.stillServes();
    }

    private static void junk(Wire c, long size, byte fill) throws Exception {
        byte[] piece = new byte[PIECE];
        Arrays.fill(piece, fill);
        for (long sent = 0; sent < size; sent += PIECE) {
            int n = (int) Math.min(PIECE, size - sent);
            c.raw(n == PIECE ? piece : Arrays.copyOf(piece, n));
        }
    }

    /**
     * Direct memory in use: NIO's direct buffers and Netty's own count. A buffer may be in both,
     * which can only make the bound stricter.
     */
    static long directBytes() {
        long nio = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
        return nio + Math.max(0, PlatformDependent.usedDirectMemory());
    }

    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    interface Input {
        void send() throws Exception;
    }

    /** How much more memory the server held while an input was sent than before it. */
    record Growth(long directPeak, long heap) {
        static Growth during(Input input) throws Exception {
            long heapBefore = heapAfterGc();
            long directBefore = directBytes();
            AtomicLong peak = new AtomicLong(directBefore);
            Thread sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(directBytes(), Math::max);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            }, "direct-memory-sampler");
            sampler.setDaemon(true);
            sampler.start();
            try {
                input.send();
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            peak.accumulateAndGet(directBytes(), Math::max);
            return new Growth(peak.get() - directBefore, heapAfterGc() - heapBefore);
        }

        void assertBounded(String what) {
            assertThat(directPeak).as("direct memory growth (bytes) during a %s", what).isLessThan(BOUND);
            assertThat(heap).as("heap growth after GC (bytes) with a %s in", what).isLessThan(BOUND);
        }
    }
}
