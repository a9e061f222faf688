package dev.qflux.local;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One message as local delivery writes it. The spool holds CRLF lines; files and programs get LF
 * lines as qmail's queue held them, with qmail-local's lines in front: {@code Return-Path:} and
 * {@code Delivered-To:} for Maildir and programs, plus the {@code From } line and {@code >From}
 * quoting for mbox. Forwards keep CRLF (they go back into the spool).
 */
final class MessageImage {
    /** asctime(3) form used by mbox {@code From } lines: {@code Wed Nov 25 15:55:43 2026}. */
    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    private static final byte[] FROM_ = "From ".getBytes(StandardCharsets.US_ASCII);

    private final byte[] crlf;
    private final byte[] lf;

    MessageImage(byte[] spooled) {
        this.crlf = spooled;
        this.lf = toLf(spooled);
    }

    /** qmail-local's RPLINE: {@code Return-Path: <sender>}. */
    static String rpLine(String sender) {
        return "Return-Path: <" + sender + ">\n";
    }

    /** qmail-local's DTLINE: {@code Delivered-To: recipient}. */
    static String dtLine(String recipient) {
        return "Delivered-To: " + recipient + "\n";
    }

    /** qmail-local's UFLINE: the mbox separator, {@code MAILER-DAEMON} for the empty sender. */
    static String ufLine(String sender, ZonedDateTime now) {
        return "From " + (sender.isEmpty() ? "MAILER-DAEMON" : sender) + " "
                + ASCTIME.format(now.withZoneSameInstant(ZoneOffset.UTC)) + "\n";
    }

    /**
     * True when the header already holds {@code dtLine} (without its LF): qmail-local's loop check.
     * Only the header is searched, so a quoted bounce in the body does not count.
     */
    boolean hasHeaderLine(String dtLineText) {
        String wanted = dtLineText.strip();
        int start = 0;
        while (start < lf.length) {
            int end = indexOf(lf, (byte) '\n', start);
            int stop = end < 0 ? lf.length : end;
            if (stop == start) {
                return false; // the blank line ending the header
            }
            if (stop - start == wanted.length()
                    && new String(lf, start, stop - start, StandardCharsets.ISO_8859_1).equalsIgnoreCase(wanted)) {
                return true;
            }
            start = stop + 1;
        }
        return false;
    }

    /** Maildir file and program stdin: Return-Path, Delivered-To, the message. */
    byte[] forFile(String rpLine, String dtLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lf.length + 256);
        out.writeBytes(ascii(rpLine));
        out.writeBytes(ascii(dtLine));
        out.writeBytes(lf);
        return out.toByteArray();
    }

    /**
     * What one mbox delivery appends: the {@code From } line, Return-Path, Delivered-To, the message
     * with mboxrd quoting (a line matching {@code >*From } gets one more {@code >}, so a reader that
     * removes one {@code >} gets the message back exactly), ending in a blank line.
     */
    byte[] forMbox(String ufLine, String rpLine, String dtLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(lf.length + lf.length / 64 + 256);
        out.writeBytes(ascii(ufLine));
        out.writeBytes(ascii(rpLine));
        out.writeBytes(ascii(dtLine));
        int start = 0;
        while (start < lf.length) {
            int end = indexOf(lf, (byte) '\n', start);
            int stop = end < 0 ? lf.length : end + 1;
            if (isFromLine(start)) {
                out.write('>');
            }
            out.write(lf, start, stop - start);
            start = stop;
        }
        if (lf.length > 0 && lf[lf.length - 1] != '\n') {
            out.write('\n');
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** A forward: our Delivered-To line (CRLF) and the message as spooled. */
    byte[] forForward(String dtLine) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(crlf.length + 256);
        out.writeBytes(ascii(dtLine.replace("\n", "\r\n")));
        out.writeBytes(crlf);
        return out.toByteArray();
    }

    private boolean isFromLine(int start) {
        int i = start;
        while (i < lf.length && lf[i] == '>') {
            i++;
        }
        if (lf.length - i < FROM_.length) {
            return false;
        }
        for (int k = 0; k < FROM_.length; k++) {
            if (lf[i + k] != FROM_[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] toLf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\r' && i + 1 < in.length && in[i + 1] == '\n') {
                continue;
            }
            out.write(in[i]);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] a, byte b, int from) {
        for (int i = from; i < a.length; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
