package dev.qflux.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.route.Route;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A home directory for user {@code nobody} (uid and gid 65534) under a temp dir, a passwd file,
 * an alias directory, and a LocalDelivery over them with a Forwarder that records what it gets.
 */
final class LocalFixture implements AutoCloseable {
    static final int NOBODY = 65534;
    static final String HOST = "mail.example.com";
    static final Duration WAIT = Duration.ofSeconds(60);

    record Forwarded(String sender, List<String> recipients, String message) {
    }

    final Path root;
    final Path home;
    final Path aliasDir;
    final Path passwd;
    final List<Forwarded> forwarded = new CopyOnWriteArrayList<>();
    private String assign = ".\n";
    private String defaultDelivery = "./Maildir/\n";
    private Duration timeout = Duration.ofSeconds(60);
    private int concurrency = 4;
    private LocalDelivery delivery;

    LocalFixture(Path tempDir) {
        root = tempDir;
        home = tempDir.resolve("home");
        aliasDir = tempDir.resolve("alias");
        passwd = tempDir.resolve("passwd");
        try {
            Files.setPosixFilePermissions(tempDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            Files.createDirectories(home);
            Files.createDirectories(aliasDir);
            Files.writeString(passwd, "root:x:0:0:root:/root:/bin/sh\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        chown(home);
        chown(aliasDir);
    }

    /** users/assign routing {@code local} (exact) to nobody with this home. */
    LocalFixture assignExact(String local, Path userHome, String ext) {
        assign = "=" + local + ":nobody:" + NOBODY + ":" + NOBODY + ":" + userHome + ":" + (ext.isEmpty() ? "" : "-")
                + ":" + ext + ":\n" + assign;
        return this;
    }

    LocalFixture assign(String text) {
        assign = text;
        return this;
    }

    LocalFixture defaultDelivery(String text) {
        defaultDelivery = text;
        return this;
    }

    LocalFixture timeout(Duration t) {
        timeout = t;
        return this;
    }

    LocalFixture concurrency(int n) {
        concurrency = n;
        return this;
    }

    LocalDelivery delivery() {
        if (delivery == null) {
            try {
                UsersAssign users = UsersAssign.parse(root.resolve("assign"), assign);
                delivery = LocalDelivery.create(new LocalSettings(HOST, HOST, defaultDelivery, users, aliasDir, passwd,
                        timeout, concurrency), (sender, rcpts, message) -> {
                            forwarded.add(new Forwarded(sender, rcpts, message.toString(StandardCharsets.UTF_8)));
                            message.release();
                            return Mono.empty();
                        });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return delivery;
    }

    RecipientOutcome deliver(String sender, String address, String message) {
        return deliverAsync(sender, address, message).block(WAIT);
    }

    Mono<RecipientOutcome> deliverAsync(String sender, String address, String message) {
        String user = address.substring(0, address.lastIndexOf('@'));
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        return delivery().deliver(sender, new Route.Local(address, user), bytes.length,
                () -> { // two buffers, as a spool read may give
                    int half = bytes.length / 2;
                    return Flux.just(Unpooled.wrappedBuffer(bytes, 0, half),
                            Unpooled.wrappedBuffer(bytes, half, bytes.length - half));
                });
    }

    /** Writes {@code name} in {@code dir} as nobody's, mode 0644 (0600 for nothing special). */
    Path file(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.writeString(p, content);
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
            chown(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path maildir(Path dir) {
        try {
            for (String sub : List.of("", "tmp", "new", "cur")) {
                Files.createDirectories(dir.resolve(sub));
                chown(dir.resolve(sub));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void chown(Path p) {
        try {
            Files.setAttribute(p, "unix:uid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(p, "unix:gid", NOBODY, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The messages Python's mailbox module reads from a Maildir or mbox, as bytes in order of arrival. */
    static List<String> readWithPython(String kind, Path path) {
        String script = String.join("\n",
                "import mailbox, sys, base64",
                "box = mailbox.Maildir(sys.argv[2], factory=None, create=False) if sys.argv[1] == 'maildir' "
                        + "else mailbox.mbox(sys.argv[2], create=False)",
                "keys = sorted(box.keys()) if sys.argv[1] == 'maildir' else list(box.keys())",
                "for k in keys:",
                "    print(base64.b64encode(box.get_bytes(k)).decode())");
        try {
            Process p = new ProcessBuilder("python3", "-c", script, kind, path.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String text = new String(out, StandardCharsets.US_ASCII);
            assertThat(p.exitValue()).as(text).isZero();
            List<String> messages = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (!line.isBlank()) {
                    messages.add(new String(Base64.getDecoder().decode(line.strip()), StandardCharsets.UTF_8));
                }
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String crlf(String lfText) {
        return lfText.replace("\n", "\r\n");
    }

    @Override
    public void close() {
        if (delivery != null) {
            delivery.close();
        }
    }
}
