package dev.qflux.inject;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Completes a message the way qmail-inject does (qmail-inject.c, headerbody.c): splits header and
 * body, rewrites the addresses in address fields ({@link AddressRewriter}), drops Bcc, Resent-Bcc,
 * Return-Path (its address becomes the envelope sender unless -f gave one) and Content-Length,
 * and adds Date, Message-ID and From when missing (their Resent- forms when the message is being
 * resent), plus "Cc: recipient list not shown: ;" when there is no To or Cc. Header text is kept
 * byte for byte (read as ISO-8859-1), so 8-bit and UTF-8 fields pass unchanged.
 */
final class MessageComposer {
    /** A source of lines without their line ends; null at the end. */
    interface LineSource {
        byte[] next() throws InjectException;
    }

    /** qmail's date822fmt: "25 Nov 2026 13:30:13 -0000". */
    private static final DateTimeFormatter DATE_822 =
            DateTimeFormatter.ofPattern("d MMM yyyy HH:mm:ss '-0000'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String NOT_SHOWN = "recipient list not shown: ;";
    private static final String MBOX_PREFIX = "From ";

    private final Identity identity;
    private final AddressRewriter rewriter;
    private final long nowMillis;
    private final String messageIdLocal;

    /** @param messageIdLocal the part before "@idhost" of a Message-ID inject adds; unique per message */
    MessageComposer(Identity identity, long nowMillis, String messageIdLocal) {
        this.identity = identity;
        this.rewriter = new AddressRewriter(identity);
        this.nowMillis = nowMillis;
        this.messageIdLocal = messageIdLocal;
    }

    /**
     * @param senderArg   the -f value or the MAIL FROM address, null for none
     * @param argRecipients recipients given outside the message (arguments, RCPT TO)
     * @param fromHeader  -t: also take recipients from the header
     */
    ComposedMessage compose(LineSource lines, String senderArg, List<String> argRecipients, boolean fromHeader)
            throws InjectException {
        List<String> fields = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        readHeader(lines, fields, body);
        for (byte[] line = lines.next(); line != null; line = lines.next()) {
            body.writeBytes(line);
            body.writeBytes(CRLF);
        }

        String sender = senderArg == null ? null : senderArgument(senderArg);
        List<String> kept = new ArrayList<>();
        List<String> headerRecipients = new ArrayList<>();
        List<String> resentRecipients = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String field : fields) {
            String name = HeaderFields.name(field);
            seen.add(name);
            int valueStart = field.indexOf(':') + 1;
            if (name.equals("return-path")) {
                List<HeaderAddresses.Found> found = addresses(field, valueStart, true);
                if (sender == null) {
                    sender = found.isEmpty() ? "" : utf8(rewriter.complete(found.get(0).address()));
                }
                continue;
            }
            if (name.equals("content-length")) {
                continue; // qmail-inject: "some things are just too stupid"
            }
            boolean recipient = HeaderFields.RECIPIENT.contains(name);
            boolean resent = HeaderFields.RESENT_RECIPIENT.contains(name);
            if (recipient || resent || HeaderFields.ORIGINATOR.contains(name)) {
                List<HeaderAddresses.Found> found = addresses(field, valueStart, !(recipient || resent) || fromHeader);
                if (found == null) {
                    kept.add(field); // an unparsable To/Cc is kept as written when it names no recipient
                    continue;
                }
                field = rewrite(field, found, recipient ? headerRecipients : resent ? resentRecipients : null);
            }
            if (!name.equals("bcc") && !name.equals("resent-bcc")) {
                kept.add(field);
            }
        }

        boolean resending = seen.stream().anyMatch(HeaderFields.RESENT::contains);
        String prefix = resending ? "Resent-" : "";
        String p = prefix.toLowerCase(Locale.ROOT);
        List<String> added = new ArrayList<>();
        if (!seen.contains(p + "date")) {
            added.add(prefix + "Date: " + DATE_822.format(Instant.ofEpochMilli(nowMillis)));
        }
        if (!seen.contains(p + "message-id")) {
            added.add(prefix + "Message-ID: <" + messageIdLocal + "@" + identity.idHost() + ">");
        }
        if (!seen.contains(p + "from")) {
            added.add(prefix + "From: " + defaultFrom());
        }
        if (!seen.contains(p + "to") && !seen.contains(p + "cc")) {
            added.add(prefix + "Cc: " + NOT_SHOWN);
        }

        Set<String> recipients = new LinkedHashSet<>();
        for (String r : argRecipients) {
            recipients.add(rewriter.complete(stripAngles(r)));
        }
        if (fromHeader) {
            recipients.addAll(resending ? resentRecipients : headerRecipients);
        }
        if (sender == null) {
            String user = identity.senderUser();
            sender = rewriter.complete(identity.senderHost() == null ? user : user + "@" + identity.senderHost());
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() + 1024);
        for (String field : added) {
            out.writeBytes(field.getBytes(StandardCharsets.UTF_8));
            out.writeBytes(CRLF);
        }
        for (String field : kept) {
            out.writeBytes(field.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(CRLF);
        }
        out.writeBytes(CRLF);
        out.writeBytes(body.toByteArray());
        return new ComposedMessage(sender, List.copyOf(recipients), out.toByteArray());
    }

    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * headerbody.c: continuation lines join their field; an empty line ends the header; a leading
     * mbox "From " line becomes an MBOX-Line field; any other line that is not a field ends the
     * header and starts the body.
     */
    private static void readHeader(LineSource lines, List<String> fields, ByteArrayOutputStream body)
            throws InjectException {
        StringBuilder current = null;
        for (byte[] bytes = lines.next(); bytes != null; bytes = lines.next()) {
            String line = new String(bytes, StandardCharsets.ISO_8859_1);
            if (current != null && !line.isEmpty() && (line.charAt(0) == ' ' || line.charAt(0) == '\t')) {
                current.append("\r\n").append(line);
                continue;
            }
            if (current != null) {
                fields.add(current.toString());
                current = null;
            }
            if (line.isEmpty()) {
                return;
            }
            if (line.startsWith(MBOX_PREFIX)) {
                current = new StringBuilder("MBOX-Line: ").append(line);
            } else if (HeaderFields.name(line) != null) {
                current = new StringBuilder(line);
            } else {
                body.writeBytes(bytes);
                body.writeBytes(CRLF);
                return;
            }
        }
        if (current != null) {
            fields.add(current.toString());
        }
    }

    /** The addresses of a field; a parse failure is fatal when {@code required} (qmail-inject's doordie), else null. */
    private static List<HeaderAddresses.Found> addresses(String field, int from, boolean required) throws InjectException {
        List<HeaderAddresses.Found> found = HeaderAddresses.parse(field, from);
        if (found == null && required) {
            String shown = field.length() > 200 ? field.substring(0, 200) + "..." : field;
            throw new InjectException(Sysexits.DATA, "unable to parse this header field: " + shown.replace("\r\n", " "));
        }
        return found;
    }

    /** The field with each address completed in place; collects the completed addresses into {@code into} when given. */
    private String rewrite(String field, List<HeaderAddresses.Found> found, List<String> into) {
        StringBuilder sb = new StringBuilder(field);
        List<String> completed = new ArrayList<>(found.size());
        for (int i = found.size() - 1; i >= 0; i--) {
            HeaderAddresses.Found f = found.get(i);
            String address = rewriter.complete(f.address());
            sb.replace(f.start(), f.end(), address); // from the end, so earlier offsets stay valid
            if (!address.isEmpty()) {
                completed.add(0, utf8(address));
            }
        }
        if (into != null) {
            into.addAll(completed);
        }
        return sb.toString();
    }

    /** qmail-inject's defaultfrommake: {@code "Full Name" <user@host>}, or the bare address without a name. */
    private String defaultFrom() {
        String user = identity.user();
        String local = isDotAtom(user) ? user : quote(user);
        String address = rewriter.complete(identity.host() == null ? local : local + "@" + identity.host());
        String name = identity.fullName();
        if (name == null || name.isEmpty()) {
            return address;
        }
        return displayName(name) + " <" + address + ">";
    }

    /** A quoted string, or an RFC 2047 encoded word when the name is not ASCII. */
    private static String displayName(String name) {
        boolean ascii = name.chars().allMatch(c -> c >= ' ' && c < 0x7f);
        if (ascii) {
            return quote(name);
        }
        return "=?UTF-8?B?" + Base64.getEncoder().encodeToString(name.getBytes(StandardCharsets.UTF_8)) + "?=";
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }

    private static boolean isDotAtom(String s) {
        if (s.isEmpty() || s.startsWith(".") || s.endsWith(".") || s.contains("..")) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean atext = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
            if (!atext) {
                return false;
            }
        }
        return true;
    }

    private String senderArgument(String arg) {
        String s = stripAngles(arg);
        return s.isEmpty() ? "" : rewriter.complete(s);
    }

    private static String stripAngles(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("<") && t.endsWith(">") ? t.substring(1, t.length() - 1) : t;
    }

    /** Header text is read as ISO-8859-1 (one char per byte); its addresses go to the envelope as UTF-8. */
    private static String utf8(String latin1) {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
