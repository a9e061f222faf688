package dev.qflux.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code qflux top}: a live view of the daemon, one frame a second, in plain ANSI: sessions,
 * accept and delivery rates, queue size, the busiest destinations and their last deferral.
 */
@Command(name = "top", mixinStandardHelpOptions = true,
        description = "Show the running daemon live, refreshed every second; q or Ctrl-C quits.")
final class TopCommand extends AdminVerb {
    static final long REFRESH_MILLIS = 1000;
    /** ANSI: cursor home, clear screen. */
    private static final String CLEAR = "\033[H\033[2J";
    /** Characters of a deferral reason shown on a line. */
    private static final int REASON_WIDTH = 60;

    @Option(names = "--once", description = "print one frame without clearing the screen, then exit")
    boolean once;

    private volatile boolean quit;

    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        Map<String, Object> before = fetch(admin);
        if (before == null) {
            return EX_REFUSED;
        }
        if (once) {
            System.out.print(frame(before, null, 0));
            return 0;
        }
        Terminal tty = Terminal.raw();
        try {
            watchKeys();
            long last = System.nanoTime();
            System.out.print(CLEAR + frame(before, null, 0));
            System.out.flush();
            while (!quit) {
                StopCommand.sleep(REFRESH_MILLIS);
                Map<String, Object> now = fetch(admin);
                if (now == null) {
                    return EX_REFUSED;
                }
                long t = System.nanoTime();
                System.out.print(CLEAR + frame(now, before, (t - last) / 1e9));
                System.out.flush();
                before = now;
                last = t;
            }
            return 0;
        } finally {
            tty.restore();
        }
    }

    private static Map<String, Object> fetch(AdminClient admin) throws AdminClient.NotRunning, IOException {
        AdminClient.Response r = admin.get("/stat");
        if (!r.ok()) {
            report(r);
            return null;
        }
        return StatCommand.stat(r);
    }

    private void watchKeys() {
        Thread keys = new Thread(() -> {
            try {
                InputStream in = System.in;
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == 'q' || c == 'Q' || c == 3) {
                        break;
                    }
                }
            } catch (IOException e) {
                // No keyboard: Ctrl-C still ends the process.
                return;
            }
            quit = true;
        }, "qflux-top-keys");
        keys.setDaemon(true);
        keys.start();
    }

    /** One screen; rates over {@code seconds} since {@code before}, or averaged over uptime. */
    @SuppressWarnings("unchecked")
    static String frame(Map<String, Object> now, Map<String, Object> before, double seconds) {
        StringBuilder out = new StringBuilder();
        out.append("qflux ").append(StatCommand.describe(now));
        out.append(String.format(Locale.ROOT, "accepted %.1f/s (%d total)   deliveries %.1f/s (%d total)"
                        + "   pending %d%n",
                rate(now, before, "accepted", seconds), number(now, "accepted"),
                rate(now, before, "attemptsFinished", seconds), number(now, "attemptsFinished"),
                number(now, "deliveriesPending")));
        out.append(String.format(Locale.ROOT, "%n%-40s %9s  %s%n", "DESTINATION", "IN FLIGHT",
                "LAST DEFERRAL"));
        for (Object o : (List<Object>) now.get("destinations")) {
            Map<String, Object> d = (Map<String, Object>) o;
            Object reason = d.get("lastDeferral");
            String text = reason == null ? "-" : reason.toString();
            if (text.length() > REASON_WIDTH) {
                text = text.substring(0, REASON_WIDTH - 3) + "...";
            }
            out.append(String.format(Locale.ROOT, "%-40s %9d  %s%n", d.get("destination"),
                    ((Number) d.get("inFlight")).longValue(), text));
        }
        return out.toString();
    }

    private static double rate(Map<String, Object> now, Map<String, Object> before, String key,
                               double seconds) {
        if (before == null || seconds <= 0) {
            long uptime = Math.max(1, number(now, "uptime"));
            return number(now, key) / (double) uptime;
        }
        return (number(now, key) - number(before, key)) / seconds;
    }

    private static long number(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v instanceof Number n ? n.longValue() : 0;
    }

    /** The terminal put in character mode (so q needs no Enter) and restored on exit. */
    private static final class Terminal {
        private final String saved;

        private Terminal(String saved) {
            this.saved = saved;
        }

        static Terminal raw() {
            if (System.console() == null) {
                return new Terminal(null);
            }
            String saved = stty("-g");
            if (saved != null) {
                stty("-icanon", "-echo", "min", "1");
                String restore = saved;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stty(restore)));
            }
            return new Terminal(saved);
        }

        void restore() {
            if (saved != null) {
                stty(saved);
            }
        }

        private static String stty(String... args) {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            try {
                Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/tty"))).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                return p.waitFor() == 0 ? out : null;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }
}
