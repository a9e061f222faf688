package dev.qflux.inject;

import dev.qflux.spool.Envelope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32C;

/**
 * The format of one file in the maildrop (docs/injection.md): a few text lines, the envelope in
 * qmail-queue's format, the message, and a checksum over everything before it, so a file cut
 * short or damaged is recognised and never queued.
 * <pre>
 * qflux-maildrop 1\n
 * pid &lt;decimal&gt;\n                 the injecting process (qmail's "qp" in the log)
 * envelope &lt;E&gt;\n                   then E bytes: F&lt;sender&gt;\0T&lt;rcpt&gt;\0...T&lt;rcpt&gt;\0 (UTF-8)
 * message &lt;M&gt;\n                    then M bytes: the message, CRLF lines
 * crc32c &lt;8 lower-case hex&gt;\n     CRC-32C of every byte before this line; the file ends here
 * </pre>
 */
public final class MaildropFile {
    static final String MAGIC = "qflux-maildrop 1";
    /** Bound on the envelope, as the spool's own (RecordFormat: 16 MiB holds over 60,000 recipients). */
    static final int MAX_ENVELOPE_BYTES = 16 << 20;
    /** Recipients one injected message may have; a bound the spool and delivery can live with. */
    public static final int MAX_RECIPIENTS = 10_000;
    /** A header line of the format is short: a keyword and a number. */
    private static final int MAX_FORMAT_LINE = 64;

    /** A decoded file: who injected it (pid as written by inject), the envelope and the message. */
    public record Contents(long pid, Envelope envelope, byte[] message) {
    }

    /** Why a file is not a maildrop file; the pickup moves such files to maildrop/bad/. */
    public static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message) {
            super(message);
        }
    }

    private MaildropFile() {
    }

    static byte[] encode(long pid, String sender, List<String> recipients, byte[] message) {
        ByteArrayOutputStream envelope = new ByteArrayOutputStream();
        envelope.write('F');
        envelope.writeBytes(sender.getBytes(StandardCharsets.UTF_8));
        envelope.write(0);
        for (String r : recipients) {
            envelope.write('T');
            envelope.writeBytes(r.getBytes(StandardCharsets.UTF_8));
            envelope.write(0);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(message.length + envelope.size() + 128);
        ascii(out, MAGIC + "\npid " + pid + "\nenvelope " + envelope.size() + "\n");
        out.writeBytes(envelope.toByteArray());
        ascii(out, "message " + message.length + "\n");
        out.writeBytes(message);
        CRC32C crc = new CRC32C();
        byte[] soFar = out.toByteArray();
        crc.update(soFar);
        ascii(out, String.format(Locale.ROOT, "crc32c %08x\n", crc.getValue()));
        return out.toByteArray();
    }

    /** Decodes a whole file; any deviation from the format (a short file above all) is refused. */
    public static Contents decode(byte[] file) throws MalformedException {
        Cursor c = new Cursor(file);
        if (!c.line().equals(MAGIC)) {
            throw new MalformedException("not a maildrop file (first line is not \"" + MAGIC + "\")");
        }
        long pid = c.number("pid", Long.MAX_VALUE);
        int envelopeLength = (int) c.number("envelope", MAX_ENVELOPE_BYTES);
        int envelopeStart = c.take(envelopeLength);
        int messageLength = (int) c.number("message", Integer.MAX_VALUE);
        int messageStart = c.take(messageLength);
        int crcStart = c.pos;
        String crcLine = c.line();
        if (c.pos != file.length) {
            throw new MalformedException("data after the checksum line");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, 0, crcStart);
        if (!crcLine.equals(String.format(Locale.ROOT, "crc32c %08x", crc.getValue()))) {
            throw new MalformedException("checksum mismatch: the file is damaged");
        }
        Envelope envelope = envelope(file, envelopeStart, envelopeLength);
        byte[] message = new byte[messageLength];
        System.arraycopy(file, messageStart, message, 0, messageLength);
        return new Contents(pid, envelope, message);
    }

    private static Envelope envelope(byte[] b, int start, int length) throws MalformedException {
        int end = start + length;
        if (length < 2 || b[start] != 'F' || b[end - 1] != 0) {
            throw new MalformedException("envelope does not start with F or end with NUL");
        }
        List<String> parts = new ArrayList<>();
        int i = start;
        while (i < end) {
            int nul = i;
            while (b[nul] != 0) {
                nul++;
            }
            parts.add(new String(b, i, nul - i, StandardCharsets.UTF_8));
            i = nul + 1;
        }
        String sender = parts.get(0).substring(1);
        List<String> recipients = new ArrayList<>(parts.size() - 1);
        for (String p : parts.subList(1, parts.size())) {
            if (!p.startsWith("T") || p.length() == 1) {
                throw new MalformedException("envelope entry is not T<recipient>");
            }
            recipients.add(p.substring(1));
        }
        if (recipients.isEmpty()) {
            throw new MalformedException("envelope without recipients");
        }
        if (recipients.size() > MAX_RECIPIENTS) {
            throw new MalformedException("more than " + MAX_RECIPIENTS + " recipients");
        }
        for (String address : parts) {
            for (int k = 0; k < address.length(); k++) {
                char ch = address.charAt(k);
                if (ch < ' ' || ch == 0x7f || ch == '\uFFFD') {
                    throw new MalformedException("control character or invalid UTF-8 in an address");
                }
            }
        }
        return new Envelope(sender, recipients);
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** Reads the format's text lines and counted blocks, refusing anything short. */
    private static final class Cursor {
        private final byte[] b;
        private int pos;

        Cursor(byte[] b) {
            this.b = b;
        }

        String line() throws MalformedException {
            int start = pos;
            while (pos < b.length && b[pos] != '\n') {
                if (pos - start >= MAX_FORMAT_LINE) {
                    throw new MalformedException("format line too long at offset " + start);
                }
                pos++;
            }
            if (pos == b.length) {
                throw new MalformedException("file ends early, at offset " + pos + " (cut short?)");
            }
            return new String(b, start, pos++ - start, StandardCharsets.US_ASCII);
        }

        long number(String keyword, long max) throws MalformedException {
            String line = line();
            String prefix = keyword + " ";
            if (!line.startsWith(prefix)) {
                throw new MalformedException("expected \"" + keyword + "\" line, found \"" + line + "\"");
            }
            String digits = line.substring(prefix.length());
            if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
                throw new MalformedException("\"" + keyword + "\" is not a number: \"" + digits + "\"");
            }
            long value = Long.parseLong(digits);
            if (value > max) {
                throw new MalformedException("\"" + keyword + "\" " + value + " is larger than " + max);
            }
            return value;
        }

        /** Skips {@code length} bytes and returns where they start. */
        int take(int length) throws MalformedException {
            if (b.length - pos < length) {
                throw new MalformedException("file ends early: " + length + " bytes announced at offset " + pos
                        + ", " + (b.length - pos) + " present (cut short?)");
            }
            int start = pos;
            pos += length;
            return start;
        }
    }
}
