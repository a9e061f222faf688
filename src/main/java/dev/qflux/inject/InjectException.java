package dev.qflux.inject;

/** Why injection stopped, with the sysexits code the command exits with; the message is for the user. */
final class InjectException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    InjectException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    InjectException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
