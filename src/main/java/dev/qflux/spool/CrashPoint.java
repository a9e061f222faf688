package dev.qflux.spool;

/**
 * Test hook: {@code -Dqflux.crashAt=POINT:N} halts the JVM (as kill -9 would, as far as the disk
 * is concerned) when the Nth batch (of messages, of DONE records, or removal) reaches POINT, so crash tests can stop the writer exactly
 * between its steps. Unset, it costs one static null check.
 */
final class CrashPoint {
    static final String PROPERTY = "qflux.crashAt";
    /** Exit status of a process killed by SIGKILL (128 + 9). */
    static final int HALT_STATUS = 137;

    enum Point {
        BEFORE_WRITE("before-write"), AFTER_WRITE("after-write"), AFTER_FORCE("after-force"),
        /** Nth batch of DONE records written, not yet fsynced. */
        STATE_AFTER_WRITE("state-after-write"),
        /** Nth batch of DONE records fsynced, callers not yet answered. */
        STATE_AFTER_FORCE("state-after-force"),
        /** Nth removal: finished segments deleted and seg/ fsynced, their state files not yet deleted. */
        SEGMENTS_DELETED("segments-deleted");

        final String label;

        Point(String label) {
            this.label = label;
        }
    }

    private static final CrashPoint CONFIGURED = parse(System.getProperty(PROPERTY));

    private final Point point;
    private final long batch;

    private CrashPoint(Point point, long batch) {
        this.point = point;
        this.batch = batch;
    }

    /** The configured crash, for the log; null when unset. Loading it here makes a bad value fail open(). */
    static String armed() {
        return CONFIGURED == null ? null : CONFIGURED.point.label + ":" + CONFIGURED.batch;
    }

    static void reached(Point point, long batch) {
        CrashPoint crash = CONFIGURED;
        if (crash != null && crash.point == point && crash.batch == batch) {
            Runtime.getRuntime().halt(HALT_STATUS);
        }
    }

    static CrashPoint parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return null;
        }
        int colon = spec.indexOf(':');
        if (colon > 0) {
            String label = spec.substring(0, colon);
            for (Point p : Point.values()) {
                if (p.label.equals(label)) {
                    return new CrashPoint(p, Long.parseLong(spec.substring(colon + 1)));
                }
            }
        }
        throw new IllegalArgumentException(PROPERTY + " must be POINT:N with POINT one of before-write, after-write,"
                + " after-force, state-after-write, state-after-force, segments-deleted; not " + spec);
    }
}
