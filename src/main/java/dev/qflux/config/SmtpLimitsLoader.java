package dev.qflux.config;

import java.time.Duration;

/** Reads the control files of {@link SmtpLimits}; blocking file reads, like ConfigLoader. */
final class SmtpLimitsLoader {
    /** 10 connections a second from one stranger: far above a real MTA, which reuses connections. */
    static final long DEFAULT_CONNECT_RATE_PER_IP = 600;
    /** Ten messages' worth of maxrcpt's default in one session. */
    static final long DEFAULT_MAX_RCPT_SESSION = 10_000;
    /** Postfix 3.9's smtpd_min_data_rate (500 bytes/s). */
    static final long DEFAULT_MIN_DATA_RATE = 500;
    /** Long enough for TCP to recover from a lost segment or two. */
    static final long DEFAULT_DATA_RATE_WINDOW_SECONDS = 30;
    /** RFC 5321 4.5.3.2.7: the server waits at least 5 minutes for the next data block. */
    static final long DEFAULT_TIMEOUT_DATA_SECONDS = 300;
    private static final long MAX_SECONDS = Integer.MAX_VALUE;

    private SmtpLimitsLoader() {
    }

    static SmtpLimits load(ControlReader control) throws ConfigException {
        return new SmtpLimits(
                (int) control.number("connectrateperip", DEFAULT_CONNECT_RATE_PER_IP, 0, Integer.MAX_VALUE),
                (int) control.number("maxrcptsession", DEFAULT_MAX_RCPT_SESSION, 0, Integer.MAX_VALUE),
                control.number("mindatarate", DEFAULT_MIN_DATA_RATE, 0, Integer.MAX_VALUE),
                Duration.ofSeconds(control.number("mindataratewindow", DEFAULT_DATA_RATE_WINDOW_SECONDS,
                        1, MAX_SECONDS)),
                Duration.ofSeconds(control.number("timeoutdata", DEFAULT_TIMEOUT_DATA_SECONDS, 1,
                        MAX_SECONDS)));
    }
}
