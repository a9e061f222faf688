package dev.qflux.local;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.route.Route;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;
import java.util.stream.Stream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Local delivery (qmail-lspawn + qmail-local): one recipient of one message at a time, on a
 * bounded scheduler of its own sized by {@code concurrencylocal}. Thread-safe.
 */
public final class LocalDelivery implements AutoCloseable {
    /** Deliveries waiting for a thread before one is refused (deferred); the scheduler already limits them. */
    static final int QUEUE_CAPACITY = 100_000;
    /** Largest buffer allocated up front from the size the spool states; beyond it, it grows. */
    static final int MAX_PRESIZE = 64 * 1024 * 1024;
    /** How long an idle delivery thread lives. */
    private static final int IDLE_SECONDS = 60;

    private final Forwarder forwarder;
    private final Scheduler io;
    private final Path workDir;
    private final UserDatabase database;
    private final UserResolver users;
    private final RecipientDelivery recipients;

    private LocalDelivery(LocalSettings settings, Forwarder forwarder, Path workDir) {
        this.forwarder = forwarder;
        this.workDir = workDir;
        this.io = Schedulers.newBoundedElastic(Math.max(1, settings.concurrency()), QUEUE_CAPACITY,
                "qflux-local", IDLE_SECONDS, true);
        this.database = new UserDatabase(settings.passwdFile(), settings.aliasDir());
        this.users = new UserResolver(settings.usersAssign(), database);
        UserProcesses processes = new UserProcesses(workDir, UserProcesses.currentUid());
        this.recipients = new RecipientDelivery(settings, users, processes,
                new MailboxAccess(processes, settings.timeoutLocal(), settings.me()));
    }

    /**
     * Starts local delivery: makes a private work directory (mode 0700) for program input and
     * output and reads passwd and the alias directory once. Blocking: call at start-up.
     */
    public static LocalDelivery create(LocalSettings settings, Forwarder forwarder) {
        Path workDir;
        try {
            workDir = Files.createTempDirectory("qflux-local");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory for local delivery", e);
        }
        return start(settings, forwarder, workDir);
    }

    /**
     * As {@link #create(LocalSettings, Forwarder)} with the work directory at {@code workDir}
     * (qflux puts it in the queue directory): copies of messages a killed qflux left there are
     * removed first, so they do not pile up across crashes. Blocking: call at start-up.
     */
    public static LocalDelivery create(LocalSettings settings, Forwarder forwarder, Path workDir) {
        try {
            var privateDir = java.nio.file.attribute.PosixFilePermissions.fromString("rwx------");
            if (Files.isDirectory(workDir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> left = Files.list(workDir)) {
                    for (Path p : left.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
            } else {
                Files.createDirectories(workDir,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(privateDir));
            }
            Files.setPosixFilePermissions(workDir, privateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the local delivery work directory " + workDir, e);
        }
        return start(settings, forwarder, workDir);
    }

    private static LocalDelivery start(LocalSettings settings, Forwarder forwarder, Path workDir) {
        LocalDelivery delivery = new LocalDelivery(settings, forwarder, workDir);
        delivery.database.refresh();
        return delivery;
    }

    /**
     * Delivers one message to one local recipient. {@code body} is the message as spooled (CRLF
     * lines, our Received line in it). The Mono never errors: every failure is an outcome. Forwards
     * are queued (and durable) before the Mono says Delivered.
     */
    public Mono<RecipientOutcome> deliver(String sender, Route.Local recipient, long messageBytes,
                                          Supplier<Flux<ByteBuf>> body) {
        return Mono.defer(() -> body.get()
                        .reduce(new ByteArrayOutputStream((int) Math.min(Math.max(messageBytes, 0), MAX_PRESIZE)),
                                (out, buf) -> {
                                    try {
                                        buf.readBytes(out, buf.readableBytes());
                                    } catch (IOException impossible) {
                                        throw new UncheckedIOException(impossible);
                                    } finally {
                                        buf.release();
                                    }
                                    return out;
                                }))
                .doOnDiscard(ByteBuf.class, ByteBuf::release)
                .publishOn(io)
                .map(out -> {
                    database.recheckSoon(io);
                    return recipients.run(sender, recipient, out.toByteArray());
                })
                .flatMap(this::queueForwards)
                .onErrorResume(e -> Mono.just(new RecipientOutcome.Deferred(
                        "Local delivery failed for now: " + reason(e) + " (#4.3.0)")));
    }

    /** qmail-local sends forwards last, once every other line succeeded. */
    private Mono<RecipientOutcome> queueForwards(RecipientDelivery.Plan plan) {
        if (plan.forwards().isEmpty() || !(plan.outcome() instanceof RecipientOutcome.Delivered)) {
            return Mono.just(plan.outcome());
        }
        return Flux.fromIterable(plan.forwards())
                .concatMap(f -> Mono.defer(() -> forwarder.forward(f.sender(), f.recipients(),
                        Unpooled.wrappedBuffer(f.message()))))
                .then(Mono.just(plan.outcome()))
                .onErrorResume(e -> Mono.just(new RecipientOutcome.Deferred(
                        "Unable to forward message: " + reason(e) + " (#4.3.0)")));
    }

    /**
     * Whether a recipient the router calls local reaches a mailbox: a user from users/assign or
     * passwd, or a {@code .qmail-*} file of the alias user. From memory only: safe on an event
     * loop, so SMTP can refuse unknown local recipients at RCPT instead of bouncing them later.
     * A real user's extension addresses are accepted without reading their home.
     */
    public boolean accepts(Route.Local recipient) {
        database.recheckSoon(io);
        return users.accepts(recipient.user());
    }

    @Override
    public void close() {
        io.dispose();
        try (Stream<Path> files = Files.list(workDir)) {
            files.forEach(p -> p.toFile().delete());
            Files.deleteIfExists(workDir);
        } catch (IOException ignored) {
            // a leftover empty directory in the temp dir
        }
    }

    private static String reason(Throwable e) {
        String m = e.getMessage();
        return (m == null ? e.getClass().getSimpleName() : m).replace('\n', '/');
    }
}
