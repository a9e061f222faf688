package dev.qflux.inject;

/** The exit codes of sysexits.h that sendmail-compatible programs use; callers such as cron and PHP read them. */
final class Sysexits {
    static final int OK = 0;
    /** EX_USAGE: unknown flag or missing flag value. */
    static final int USAGE = 64;
    /** EX_DATAERR: the message itself is unusable (unparsable header, over-long line, too big). */
    static final int DATA = 65;
    /** EX_NOUSER: no recipient, or an address that cannot be made valid. */
    static final int NO_USER = 67;
    /** EX_CANTCREAT: the maildrop directory cannot be created or written into. */
    static final int CANT_CREATE = 73;
    /** EX_TEMPFAIL: try again later (disk full, write or fsync failed, input unreadable). */
    static final int TEMP_FAIL = 75;
    /** EX_CONFIG: the conf directory is missing or wrong. */
    static final int CONFIG = 78;

    private Sysexits() {
    }
}
