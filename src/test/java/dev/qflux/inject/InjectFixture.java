package dev.qflux.inject;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A conf directory and queue in a temp dir, and in-JVM runs of the inject command against them. */
final class InjectFixture {
    final Path conf;
    final Path queue;
    final Map<String, String> env = new HashMap<>(Map.of("USER", "joe"));

    /** What one run gave: exit code, stdout (the -bs dialogue), stderr. */
    record Run(int exit, String out, String err) {
    }

    InjectFixture(Path root) {
        this.conf = root.resolve("conf");
        this.queue = root.resolve("queue");
        control("me", "mail.example.com");
        control("queuedir", queue.toAbsolutePath().toString());
        control("defaulthost", "example.com");
    }

    InjectFixture control(String name, String value) {
        try {
            Files.createDirectories(conf.resolve("control"));
            Files.writeString(conf.resolve("control").resolve(name), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Run run(String stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Injector.run(List.of(args), conf, env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The files waiting in maildrop/new, oldest first. */
    List<Path> dropped() {
        Path dir = MaildropLayout.dir(queue, MaildropLayout.NEW);
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            entries.forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(null);
        return files;
    }

    static MaildropFile.Contents decode(Path file) {
        try {
            return MaildropFile.decode(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (MaildropFile.MalformedException e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
    }

    static String text(MaildropFile.Contents contents) {
        return new String(contents.message(), StandardCharsets.UTF_8);
    }
}
