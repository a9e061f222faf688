package dev.qflux.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks conf/tcp.smtp line by line for {@code qflux cdb}. qmail's init script rebuilt
 * tcp.smtp.cdb with tcprules, which stopped at the first bad line; qflux reads the text itself
 * at start and reload, so this reports every bad line at once before that happens.
 */
public final class TcpRulesCheck {
    /**
     * @param rules  lines that hold a valid rule
     * @param errors one {@code path:line: what} per bad line, in file order
     * @param exists false when there is no tcp.smtp (everyone may connect, nobody may relay)
     */
    public record Result(Path file, boolean exists, int rules, List<String> errors) {
        public boolean ok() {
            return errors.isEmpty();
        }
    }

    private TcpRulesCheck() {
    }

    public static Result check(Path confDir) {
        Path file = confDir.resolve("tcp.smtp");
        Optional<List<ControlLine>> lines;
        try {
            lines = ControlFiles.entries(file);
        } catch (ConfigException e) {
            return new Result(file, true, 0, List.of(e.getMessage())); // unreadable, or a bad byte
        }
        if (lines.isEmpty()) {
            return new Result(file, false, 0, List.of());
        }
        int rules = 0;
        List<String> errors = new ArrayList<>();
        for (ControlLine line : lines.get()) {
            try {
                TcpRulesParser.parse(List.of(line));
                rules++;
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        if (errors.isEmpty()) {
            try {
                TcpRulesParser.parse(lines.get()); // limits that only the whole file can break
            } catch (ConfigException e) {
                errors.add(e.getMessage());
            }
        }
        return new Result(file, true, rules, List.copyOf(errors));
    }
}
