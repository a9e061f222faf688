package dev.qflux.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of the files in one control directory, each failing with file:line on bad input.
 * Every control file is reached through {@link #file}, which notes its name: that is how
 * {@link ControlCatalog}'s test proves the catalog lists every file the loaders read.
 */
final class ControlReader {
    private final Path controlDir;
    private final Set<String> namesRead = new LinkedHashSet<>();

    ControlReader(Path controlDir) {
        this.controlDir = controlDir;
    }

    Path file(String name) {
        namesRead.add(name);
        return controlDir.resolve(name);
    }

    /** The names passed to {@link #file} so far, in order. One loader thread: no locking needed. */
    Set<String> namesRead() {
        return Collections.unmodifiableSet(namesRead);
    }

    /** A single-value file's first line, checked; empty when the file is missing. */
    Optional<String> text(String name) throws ConfigException {
        Optional<ControlLine> line = ControlFiles.firstLine(file(name));
        return line.isPresent() ? Optional.of(line.get().content()) : Optional.empty();
    }

    /** A single-value file holding one host name, kept as written (it appears in greetings). */
    Optional<String> hostName(String name) throws ConfigException {
        Optional<ControlLine> line = ControlFiles.firstLine(file(name));
        if (line.isEmpty()) {
            return Optional.empty();
        }
        String text = line.get().content();
        if (text.isEmpty()) {
            throw line.get().error("empty; expected a host name");
        }
        if (text.startsWith(".")) {
            throw line.get().error("not a host name: " + ControlLine.quote(text));
        }
        DomainNames.entry(line.get(), false);
        return Optional.of(text);
    }

    /**
     * A whole number of at least {@code min} (qmail's control_readint, except that text which is not
     * a number fails instead of silently meaning the default).
     */
    long number(String name, long defaultValue, long min, long max) throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(file(name));
        if (found.isEmpty()) {
            return defaultValue;
        }
        ControlLine line = found.get();
        String text = line.content().strip();
        boolean negative = text.startsWith("-");
        String digits = negative ? text.substring(1) : text;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw line.error("not a number: " + ControlLine.quote(line.text()));
        }
        long value;
        try {
            value = Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw line.error("too large: " + ControlLine.quote(text) + " (at most " + max + ")");
        }
        if (negative || value < min) {
            throw line.error("must be " + min + " or more: " + ControlLine.quote(text));
        }
        if (value > max) {
            throw line.error("too large: " + ControlLine.quote(text) + " (at most " + max + ")");
        }
        return value;
    }

    /** A list of domains, lowercased; {@code wildcard} allows {@code .example.com} entries. */
    Optional<Set<String>> domains(String name, boolean wildcard) throws ConfigException {
        Optional<List<ControlLine>> entries = ControlFiles.entries(file(name));
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        Set<String> domains = new HashSet<>();
        for (ControlLine line : entries.get()) {
            domains.add(DomainNames.entry(line, wildcard));
        }
        return Optional.of(domains);
    }

    /** badmailfrom entries: addresses and {@code @host}, lowercased. */
    Set<String> addresses(String name) throws ConfigException {
        Set<String> addresses = new HashSet<>();
        for (ControlLine line : ControlFiles.entries(file(name)).orElse(List.of())) {
            String text = line.content();
            if (text.indexOf(' ') >= 0 || text.indexOf('\t') >= 0) {
                throw line.error("an address has no blanks: " + ControlLine.quote(text));
            }
            addresses.add(text.toLowerCase(Locale.ROOT));
        }
        return addresses;
    }

    /** A single-value file naming a directory; a relative one is taken from {@code base}. */
    Optional<Path> directory(String name, Path base) throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(file(name));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ControlLine line = found.get();
        String text = line.content();
        if (text.isEmpty()) {
            throw line.error("empty; expected a directory");
        }
        try {
            return Optional.of(base.resolve(text).normalize());
        } catch (InvalidPathException e) {
            throw line.error("not a usable path: " + ControlLine.quote(text));
        }
    }
}
