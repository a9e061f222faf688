package dev.qflux.deliver.remote;

import java.util.List;
import java.util.Locale;

/**
 * What a server said it supports in its EHLO reply (RFC 5321 4.1.1.1: one keyword per line
 * after the first, case-insensitive, parameters separated by spaces). HELO means none of them.
 *
 * @param sizeLimit SIZE's limit in bytes (RFC 1870); 0 when SIZE is offered without a limit,
 *                  -1 when SIZE is not offered
 */
record EhloCapabilities(boolean pipelining, long sizeLimit, boolean eightBitMime,
                        boolean startTls, boolean smtpUtf8) {
    static final EhloCapabilities NONE = new EhloCapabilities(false, -1, false, false, false);

    boolean size() {
        return sizeLimit >= 0;
    }

    static EhloCapabilities parse(SmtpReply ehlo) {
        boolean pipelining = false;
        long size = -1;
        boolean eightBit = false;
        boolean startTls = false;
        boolean utf8 = false;
        List<String> lines = ehlo.lines();
        for (int i = 1; i < lines.size(); i++) { // the first line is the server's name
            String[] words = lines.get(i).trim().split(" +");
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "PIPELINING" -> pipelining = true;
                case "8BITMIME" -> eightBit = true;
                case "STARTTLS" -> startTls = true;
                case "SMTPUTF8" -> utf8 = true;
                case "SIZE" -> size = words.length > 1 ? sizeLimit(words[1]) : 0;
                default -> {
                }
            }
        }
        return new EhloCapabilities(pipelining, size, eightBit, startTls, utf8);
    }

    /** A SIZE parameter we cannot read is taken as "no limit given" (RFC 1870 section 4). */
    private static long sizeLimit(String value) {
        try {
            return Math.max(0, Long.parseLong(value));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
