package dev.qflux.config;

/**
 * A value that does not parse, before we know which file and line it came from; the caller turns
 * it into a {@link ConfigException} that names them.
 */
final class InvalidValue extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidValue(String message) {
        super(message, null, false, false);
    }
}
