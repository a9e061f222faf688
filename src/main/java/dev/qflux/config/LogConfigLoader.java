package dev.qflux.config;

import java.util.Locale;
import java.util.Optional;

/** Reads control/logformat and control/logtimestamp into a {@link LogConfig}. */
final class LogConfigLoader {
    private LogConfigLoader() {
    }

    static LogConfig load(ControlReader control) throws ConfigException {
        return new LogConfig(
                choice(control, "logformat", LogConfig.Format.class, LogConfig.DEFAULT.format()),
                choice(control, "logtimestamp", LogConfig.Timestamp.class, LogConfig.DEFAULT.timestamp()));
    }

    /** A single-value file naming one constant of {@code type}, written in lower case. */
    private static <E extends Enum<E>> E choice(ControlReader control, String name, Class<E> type,
                                                E defaultValue) throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(control.file(name));
        if (found.isEmpty()) {
            return defaultValue;
        }
        ControlLine line = found.get();
        String text = line.content().strip();
        StringBuilder allowed = new StringBuilder();
        for (E value : type.getEnumConstants()) {
            String word = value.name().toLowerCase(Locale.ROOT);
            if (word.equals(text)) {
                return value;
            }
            allowed.append(allowed.length() == 0 ? "" : ", ").append(word);
        }
        throw line.error("expected one of " + allowed + ", got " + ControlLine.quote(text));
    }
}
