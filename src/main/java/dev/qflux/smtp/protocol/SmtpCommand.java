package dev.qflux.smtp.protocol;

import java.util.Objects;

/**
 * One command line as the client sent it, split the way qmail's {@code commands.c} splits it: the
 * verb runs up to the first space, and the argument is what follows once every space after the
 * verb is skipped. Trailing spaces stay in the argument; the argument parsers tolerate them.
 *
 * @param verb     the recognised verb, {@link Verb#UNKNOWN} for anything else
 * @param argument the rest of the line, "" when there is none
 */
public record SmtpCommand(Verb verb, String argument) {

    private static final Verb[] KNOWN;

    static {
        Verb[] all = Verb.values();
        KNOWN = new Verb[all.length - 1];
        int k = 0;
        for (Verb v : all) {
            if (v != Verb.UNKNOWN) {
                KNOWN[k++] = v;
            }
        }
    }

    public SmtpCommand {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(argument, "argument");
    }

    /**
     * Splits a command line.
     *
     * @param line the line without its CRLF (or bare LF)
     */
    public static SmtpCommand parse(String line) {
        int space = line.indexOf(' ');
        int verbEnd = space < 0 ? line.length() : space;
        int argStart = verbEnd;
        while (argStart < line.length() && line.charAt(argStart) == ' ') {
            argStart++;
        }
        return new SmtpCommand(verbOf(line, verbEnd), line.substring(argStart));
    }

    private static Verb verbOf(String line, int length) {
        if (length == 0) {
            return Verb.UNKNOWN;
        }
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            // ASCII letters only: Unicode letters must not case-fold onto a verb.
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                return Verb.UNKNOWN;
            }
        }
        for (Verb v : KNOWN) {
            String name = v.name();
            if (name.length() == length && line.regionMatches(true, 0, name, 0, length)) {
                return v;
            }
        }
        return Verb.UNKNOWN;
    }
}
