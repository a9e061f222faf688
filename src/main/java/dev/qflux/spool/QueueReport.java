package dev.qflux.spool;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/** The queue tools' output, byte for byte as qmail-qread and qmail-qstat print it. */
public final class QueueReport {
    /**
     * qmail-qread prints date822fmt's date without its " -0000\n" tail: day without padding,
     * English month, four-digit year, zero-padded time, in GMT.
     */
    private static final DateTimeFormatter QREAD_DATE =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    /** Printable ASCII, as qmail-qread's out() lets through; every other byte prints as '_'. */
    private static final int FIRST_PRINTABLE = 32;
    private static final int LAST_PRINTABLE = 126;
    /** qmail-qread.c: {@code case 'D': substdio_puts(subfdout,"  done");} before the tab. */
    private static final String DONE_PREFIX = "  done";

    private QueueReport() {
    }

    /**
     * One block per message, as qmail-qread: {@code <date> GMT  #<id>  <bytes>  <sender> } then a
     * line per recipient, local ones first (qmail read the local file, then the remote one),
     * {@code \tlocal\t<rcpt>} or {@code \tremote\t<rcpt>}. A recipient is local when
     * {@code isLocalDomain} holds for the text after its last '@' ("" when it has none); pass
     * locals plus virtualdomains, as qmail-send's rewriting did. A finished recipient is prefixed
     * with {@code "  done"} (qmail-qread prints it for a 'D' line and falls through to the 'T' case).
     */
    public static String qread(List<QueueEntry> entries, Predicate<String> isLocalDomain) {
        StringBuilder out = new StringBuilder(entries.size() * 96);
        for (QueueEntry e : entries) {
            StringBuilder stats = new StringBuilder(64);
            stats.append(QREAD_DATE.format(Instant.ofEpochMilli(e.birthMillis()))).append(" GMT  #").append(e.id())
                    .append("  ").append(e.bytes()).append("  <").append(e.sender()).append("> ");
            printable(out, stats.toString());
            out.append('\n');
            for (boolean local : new boolean[] {true, false}) {
                for (int i = 0; i < e.recipients().size(); i++) {
                    String rcpt = e.recipients().get(i);
                    if (isLocalDomain.test(domain(rcpt)) == local) {
                        if (e.isDone(i)) {
                            out.append(DONE_PREFIX);
                        }
                        out.append(local ? "\tlocal\t" : "\tremote\t");
                        printable(out, rcpt);
                        out.append('\n');
                    }
                }
            }
        }
        return out.toString();
    }

    /** As qmail-qstat; every message counts as preprocessed, since acceptance is the only step. */
    public static String qstat(List<QueueEntry> entries) {
        return "messages in queue: " + entries.size() + "\nmessages in queue but not yet preprocessed: 0\n";
    }

    private static String domain(String address) {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : address.substring(at + 1);
    }

    private static void printable(StringBuilder out, String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            out.append(b >= FIRST_PRINTABLE && b <= LAST_PRINTABLE ? (char) b : '_');
        }
    }
}
