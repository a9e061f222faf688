package dev.qflux.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A conf directory under a test's temp dir, with helpers to write its files. */
final class ConfDir {
    final Path dir;

    ConfDir(Path tempDir) {
        this.dir = tempDir.resolve("conf");
        try {
            Files.createDirectories(dir.resolve("control"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A conf dir holding only control/me. */
    static ConfDir withMe(Path tempDir) {
        return new ConfDir(tempDir).control("me", "mail.example.com\n");
    }

    ConfDir control(String name, String content) {
        return write(dir.resolve("control").resolve(name), content.getBytes(StandardCharsets.UTF_8));
    }

    ConfDir write(Path file, byte[] content) {
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    ConfDir delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    Path control(String name) {
        return dir.resolve("control").resolve(name);
    }

    QfluxConfig load() throws ConfigException {
        return ConfigLoader.load(dir);
    }

    /** The entries of {@code content} as the list reader yields them, from a file named {@code name}. */
    List<ControlLine> entries(String name, String content) throws ConfigException {
        control(name, content);
        return ControlFiles.entries(control(name)).orElseThrow();
    }

    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // literals only: no DNS
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
