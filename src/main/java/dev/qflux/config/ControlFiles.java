package dev.qflux.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads control files the way qmail's control.c does: a missing file means "use the default",
 * a single-value file is its first line, a list file is its lines without blanks and comments.
 * Trailing blanks are stripped from every line (control.c strips space, tab and newline; a CR is
 * stripped too, so files saved with CRLF line ends still work). Blocking I/O: call off the event loop.
 */
final class ControlFiles {
    /**
     * Largest control file read. Far above any real one (a big morercpthosts is a few MB); stops a
     * log or a mail file saved into control/ by mistake from filling the heap.
     */
    static final int MAX_FILE_BYTES = 64 * 1024 * 1024;

    private ControlFiles() {
    }

    /** Every line of {@code file}, numbered from 1; empty when the file does not exist. */
    static Optional<List<ControlLine>> lines(Path file) throws ConfigException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // qmail's control.c: ENOENT (also a dangling link) = default
        } catch (IOException | SecurityException e) {
            throw cannotRead(file, e);
        }
        if (attributes.isDirectory()) {
            throw new ConfigException(file + ": is a directory, not a file");
        }
        if (!attributes.isRegularFile()) {
            // A FIFO would block the read forever; a device could be endless.
            throw new ConfigException(file + ": not a regular file");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // removed since we looked: same as missing
        } catch (IOException | SecurityException e) {
            throw cannotRead(file, e);
        }
        if (bytes.length > MAX_FILE_BYTES) {
            throw new ConfigException(file + ": larger than " + MAX_FILE_BYTES
                    + " bytes; not a control file?");
        }
        return Optional.of(split(file, bytes));
    }

    /**
     * The first line of a single-value file (qmail's control_readline), or empty when the file
     * does not exist. An empty file gives an empty line 1.
     */
    static Optional<ControlLine> firstLine(Path file) throws ConfigException {
        return lines(file).map(all -> all.isEmpty() ? new ControlLine(file, 1, "", true) : all.get(0));
    }

    /**
     * The entries of a list file (qmail's control_readfile): blank lines and lines whose first
     * non-blank character is {@code #} are skipped, leading blanks are stripped; each entry is
     * checked by {@link ControlLine#content()}. Empty when the file does not exist.
     */
    static Optional<List<ControlLine>> entries(Path file) throws ConfigException {
        Optional<List<ControlLine>> all = lines(file);
        if (all.isEmpty()) {
            return Optional.empty();
        }
        List<ControlLine> entries = new ArrayList<>();
        for (ControlLine line : all.get()) {
            String text = line.text().strip();
            if (text.isEmpty() || text.charAt(0) == '#') {
                continue; // comments are skipped before the UTF-8 check: Latin-1 comments are fine
            }
            ControlLine entry = new ControlLine(file, line.number(), text, line.validUtf8());
            entry.content();
            entries.add(entry);
        }
        return Optional.of(entries);
    }

    private static ConfigException cannotRead(Path file, Exception e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason()
                : String.valueOf(e.getMessage());
        return new ConfigException(file + ": cannot read: " + why, e);
    }

    private static List<ControlLine> split(Path file, byte[] bytes) {
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        List<ControlLine> lines = new ArrayList<>();
        int start = 0;
        int number = 1;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            int stop = end;
            while (stop > start && isTrailingBlank(bytes[stop - 1])) {
                stop--;
            }
            lines.add(decode(utf8, file, number++, bytes, start, stop));
            start = end + 1;
        }
        return lines;
    }

    private static boolean isTrailingBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\r';
    }

    private static ControlLine decode(CharsetDecoder utf8, Path file, int number, byte[] bytes,
                                      int from, int to) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from);
        try {
            return new ControlLine(file, number, utf8.reset().decode(buffer).toString(), true);
        } catch (CharacterCodingException e) {
            String lossy = new String(bytes, from, to - from, StandardCharsets.UTF_8);
            return new ControlLine(file, number, lossy, false);
        }
    }
}
