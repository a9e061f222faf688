package dev.qflux.inject;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.log.LogSink;
import dev.qflux.spool.QueueEntry;
import dev.qflux.spool.SpoolOptions;
import dev.qflux.spool.SpoolReader;
import dev.qflux.spool.SpoolWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's side: a real SpoolWriter in a temp dir, files dropped by the real inject command. */
class MaildropPickupTest {
    private static final Duration BOUND = Duration.ofSeconds(60);

    @TempDir
    Path tmp;
    InjectFixture fx;
    final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    LogSink log;
    SpoolWriter spool;
    MaildropPickup pickup;

    @BeforeEach
    void setUp() {
        fx = new InjectFixture(tmp);
        log = new LogSink(logBytes);
    }

    @AfterEach
    void tearDown() {
        if (pickup != null) {
            pickup.close();
        }
        if (spool != null) {
            spool.close();
        }
        log.close();
    }

    private void startDaemonSide(SpoolOptions options) throws IOException {
        spool = SpoolWriter.open(fx.queue, options);
        pickup = MaildropPickup.start(fx.queue, spool, log);
    }

    private void inject(String message, String... args) {
        InjectFixture.Run run = fx.run(message, args);
        assertThat(run.exit()).as(run.err()).isZero();
    }

    @Test
    void filesDroppedBeforeAndAfterStartAreQueuedAndRemoved() throws Exception {
        inject("Subject: one\n\nfirst body\n", "ann@example.org", "bob");
        inject("Subject: two\n\nsecond body\n", "-f", "lists@example.net", "carl@example.org");
        assertThat(fx.dropped()).hasSize(2);

        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        await(() -> queue().size() == 2 && fx.dropped().isEmpty() && listing(MaildropLayout.CUR).isEmpty(),
                "the two early files queued and removed");

        inject("Subject: three\n\nthird body\n", "dora@example.org");
        await(() -> queue().size() == 3 && fx.dropped().isEmpty() && listing(MaildropLayout.CUR).isEmpty(),
                "a file dropped while running queued and removed");

        List<QueueEntry> queue = queue();
        QueueEntry first = queue.get(0);
        assertThat(first.sender()).isEqualTo("joe@example.com");
        assertThat(first.recipients()).containsExactly("ann@example.org", "bob@example.com");
        String body = body(first);
        long uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        long pid = ProcessHandle.current().pid();
        assertThat(body).startsWith("Received: (qflux " + pid + " invoked by uid " + uid + "); ")
                .contains("\r\nSubject: one\r\n").endsWith("\r\n\r\nfirst body\r\n");
        assertThat(queue.get(1).sender()).isEqualTo("lists@example.net");
        assertThat(queue.get(1).recipients()).containsExactly("carl@example.org");
        assertThat(body(queue.get(2))).endsWith("\r\nthird body\r\n");

        await(() -> logText().contains("info msg " + queue.get(2).id() + ": bytes " + queue.get(2).bytes()
                + " from <joe@example.com> qp " + pid + " uid " + uid), "qmail's info msg line");
        assertThat(logText()).contains("new msg " + first.id());
    }

    @Test
    void corruptAndTruncatedFilesGoToBad() throws Exception {
        inject("Subject: good\n\nbody\n", "ann@example.org");
        Path good = fx.dropped().get(0);
        byte[] bytes = Files.readAllBytes(good);
        Path newDir = good.getParent();
        Files.write(newDir.resolve("0.1.truncated"), Arrays.copyOf(bytes, bytes.length - 5));
        byte[] flipped = bytes.clone();
        flipped[bytes.length / 2] ^= 1;
        Files.write(newDir.resolve("0.2.corrupt"), flipped);
        Files.writeString(newDir.resolve("0.3.foreign"), "To: a@b.c\n\nnot ours\n");

        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        await(() -> listing(MaildropLayout.BAD).size() == 3 && queue().size() == 1 && fx.dropped().isEmpty()
                && listing(MaildropLayout.CUR).isEmpty(), "three bad files quarantined, the good one queued");

        assertThat(listing(MaildropLayout.BAD)).extracting(p -> p.getFileName().toString())
                .containsExactly("0.1.truncated", "0.2.corrupt", "0.3.foreign");
        await(() -> logText().contains("0.3.foreign moved to"), "the quarantine logged");
        assertThat(logText()).contains("warning: maildrop: 0.1.truncated moved to " + MaildropLayout.dir(fx.queue,
                MaildropLayout.BAD) + ": file ends early")
                .contains("0.2.corrupt moved to").contains("checksum mismatch")
                .contains("0.3.foreign moved to").contains("not a maildrop file");
    }

    @Test
    void aBadEnvelopeInAWellFormedFileIsQuarantined() throws Exception {
        Path newDir = MaildropLayout.dir(fx.queue, MaildropLayout.NEW);
        MaildropLayout.create(fx.queue, false);
        Files.write(newDir.resolve("0.1.badrcpt"), MaildropFile.encode(1, "", List.of("no domain"),
                "\r\nx\r\n".getBytes(StandardCharsets.US_ASCII)));
        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        await(() -> listing(MaildropLayout.BAD).size() == 1, "the file quarantined");
        await(() -> logText().contains("bad recipient address: no domain"), "the reason logged");
        assertThat(queue()).isEmpty();
    }

    @Test
    void whileTheSpoolRefusesFilesWaitAndAreQueuedLater() throws Exception {
        inject("Subject: waits\n\nbody\n", "ann@example.org");
        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(Long.MAX_VALUE / 4));
        await(() -> logText().contains("not accepting mail"), "the refusal logged");
        assertThat(fx.dropped()).hasSize(1);
        assertThat(queue()).isEmpty();

        pickup.close();
        spool.close();
        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        await(() -> queue().size() == 1 && fx.dropped().isEmpty(), "the waiting file queued once space is back");
    }

    @Test
    void aFileLeftInCurByACrashIsQueuedAtStart() throws Exception {
        inject("Subject: interrupted\n\nbody\n", "ann@example.org");
        MaildropLayout.create(fx.queue, true);
        Path file = fx.dropped().get(0);
        Files.move(file, MaildropLayout.dir(fx.queue, MaildropLayout.CUR).resolve(file.getFileName()));
        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        await(() -> queue().size() == 1 && listing(MaildropLayout.CUR).isEmpty(), "the claimed file queued");
    }

    @Test
    void manyFilesAreQueuedInBatches() throws Exception {
        MaildropLayout.create(fx.queue, false);
        Path newDir = MaildropLayout.dir(fx.queue, MaildropLayout.NEW);
        int files = 3 * MaildropPickup.IN_FLIGHT + 5;
        for (int i = 0; i < files; i++) {
            Files.write(newDir.resolve(String.format("0.%03d.x", i)), MaildropFile.encode(1, "s@example.org",
                    List.of("r" + i + "@example.org"), ("Subject: " + i + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.US_ASCII)));
        }
        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        await(() -> queue().size() == files && fx.dropped().isEmpty() && listing(MaildropLayout.CUR).isEmpty(),
                "every file queued");
        assertThat(queue()).extracting(e -> e.recipients().get(0)).doesNotHaveDuplicates().hasSize(files);
    }

    @Test
    void batchesAreBoundedInFilesAndBytes() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("sizes"));
        List<Path> small = new java.util.ArrayList<>();
        for (int i = 0; i < MaildropPickup.IN_FLIGHT + 2; i++) {
            small.add(Files.writeString(dir.resolve("s" + i), "x"));
        }
        Path big = dir.resolve("big");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(MaildropPickup.IN_FLIGHT_BYTES + 1); // sparse: costs no disk
        }
        List<Path> all = new java.util.ArrayList<>(small.subList(0, 2));
        all.add(big);
        all.addAll(small.subList(2, small.size()));
        List<List<Path>> batches = MaildropPickup.batches(all);
        assertThat(batches).extracting(List::size).containsExactly(2, 1, MaildropPickup.IN_FLIGHT);
        assertThat(batches.get(1)).containsExactly(big);
    }

    @Test
    void startCreatesTheMaildropWithItsModes() throws Exception {
        startDaemonSide(SpoolOptions.defaults().withMinFreeBytes(0));
        assertThat(mode(MaildropLayout.TMP)).isEqualTo(01733);
        assertThat(mode(MaildropLayout.NEW)).isEqualTo(01733);
        assertThat(mode(MaildropLayout.CUR)).isEqualTo(0700);
        assertThat(mode(MaildropLayout.BAD)).isEqualTo(0700);
    }

    private int mode(String dir) throws IOException {
        return (Integer) Files.getAttribute(MaildropLayout.dir(fx.queue, dir), "unix:mode") & 07777;
    }

    private List<QueueEntry> queue() {
        try {
            return SpoolReader.scan(fx.queue);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String body(QueueEntry entry) throws IOException {
        byte[] segment = Files.readAllBytes(SpoolReader.segmentFile(fx.queue, entry.segment()));
        return new String(segment, (int) entry.bodyOffset(), (int) entry.bytes(), StandardCharsets.UTF_8);
    }

    private List<Path> listing(String dir) {
        Path d = MaildropLayout.dir(fx.queue, dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logText() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    /** Polls a condition until it holds, failing with the log after a generous bound. */
    private void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + BOUND + ": " + what + "\nlog:\n" + logText());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
    }
}
