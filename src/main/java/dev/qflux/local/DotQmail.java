package dev.qflux.local;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a {@code .qmail} file, parsed as qmail-local does (dot-qmail(5)): blanks around a
 * line are ignored, {@code #} starts a comment, {@code |} a program, {@code .} or {@code /} a file
 * (a Maildir when it ends in {@code /}, else mbox), {@code &} a forward, and any other line is a
 * forward address as well.
 */
final class DotQmail {
    /** One delivery instruction, in file order. */
    sealed interface Line permits Program, Maildir, Mbox, Forward {
    }

    record Program(String command) implements Line {
    }

    record Maildir(String path) implements Line {
    }

    record Mbox(String path) implements Line {
    }

    record Forward(String address) implements Line {
    }

    private DotQmail() {
    }

    static List<Line> parse(byte[] content) {
        List<Line> lines = new ArrayList<>();
        for (String raw : new String(content, StandardCharsets.UTF_8).split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.charAt(0) == '#') {
                continue;
            }
            char first = line.charAt(0);
            if (first == '|') {
                lines.add(new Program(line.substring(1)));
            } else if (first == '.' || first == '/') {
                lines.add(line.endsWith("/") ? new Maildir(line) : new Mbox(line));
            } else if (first == '&') {
                lines.add(new Forward(line.substring(1).strip()));
            } else {
                lines.add(new Forward(line));
            }
        }
        return lines;
    }
}
