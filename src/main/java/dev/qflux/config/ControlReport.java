package dev.qflux.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code qflux showctl} prints: each file of {@link ControlCatalog} with its effective value
 * and where that came from, and the files in control/ that qflux does not read. Reads files:
 * call it from a command, not from an event loop.
 */
public final class ControlReport {
    /**
     * Closest a stray file name may be to a known one (edit distance) to be named as the likely
     * intended file: one slip of the finger, or two swapped letters.
     */
    static final int MAX_SUGGESTION_DISTANCE = 2;

    /** One line a value came from. */
    public record Source(Path file, int line, String text) {
        public String where() {
            return file + ":" + line;
        }
    }

    /**
     * A control file's effective value: the lines read from it, or (when it is missing) its default.
     *
     * @param file         where qflux looks for it
     * @param lines        the value (first line) or the entries of a list; empty for an empty list
     * @param defaultValue the default when the file is missing, else empty
     */
    public record Setting(ControlCatalog.Entry entry, Path file, List<Source> lines,
                          Optional<String> defaultValue) {
        public boolean isDefault() {
            return defaultValue.isPresent();
        }
    }

    /**
     * A file in control/ that qflux does not read.
     *
     * @param note       why it is there, for a qmail file qflux knows but does not use; else empty
     * @param suggestion the known file it is most likely a misspelling of
     */
    public record Stray(Path file, Optional<String> note, Optional<String> suggestion) {
        /** A qmail leftover is harmless; an unknown name is probably a typo that loses a setting. */
        public boolean isProblem() {
            return note.isEmpty();
        }
    }

    private ControlReport() {
    }

    /** Every catalogued file of {@code config}'s conf directory, in catalog order. */
    public static List<Setting> settings(QfluxConfig config) throws ConfigException {
        Path control = config.confDir().resolve("control");
        List<Setting> settings = new ArrayList<>();
        for (ControlCatalog.Entry entry : ControlCatalog.entries()) {
            Path file = control.resolve(entry.name());
            Optional<List<ControlLine>> read = entry.shape() == ControlCatalog.Shape.VALUE
                    ? ControlFiles.firstLine(file).map(List::of)
                    : ControlFiles.entries(file);
            if (read.isEmpty()) {
                settings.add(new Setting(entry, file, List.of(),
                        Optional.of(entry.defaultValue().apply(config))));
                continue;
            }
            List<Source> lines = new ArrayList<>();
            for (ControlLine line : read.get()) {
                lines.add(new Source(file, line.number(), line.text()));
            }
            settings.add(new Setting(entry, file, List.copyOf(lines), Optional.empty()));
        }
        return settings;
    }

    /** Files in {@code confDir}/control that the catalog does not list, sorted by name. */
    public static List<Stray> strays(Path confDir) throws IOException {
        List<Path> files = new ArrayList<>();
        Path control = confDir.resolve("control");
        if (!Files.isDirectory(control)) {
            return List.of();
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(control)) {
            dir.forEach(files::add);
        }
        files.sort(null);
        List<Stray> strays = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (ControlCatalog.find(name).isPresent()) {
                continue;
            }
            strays.add(new Stray(file, ControlCatalog.notRead(name), suggestion(name)));
        }
        return strays;
    }

    private static Optional<String> suggestion(String name) {
        String best = null;
        int bestDistance = MAX_SUGGESTION_DISTANCE + 1;
        for (ControlCatalog.Entry e : ControlCatalog.entries()) {
            int d = distance(name, e.name());
            if (d < bestDistance) {
                best = e.name();
                bestDistance = d;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
