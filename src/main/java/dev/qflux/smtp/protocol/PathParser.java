package dev.qflux.smtp.protocol;

import java.util.HashMap;
import java.util.Map;

/**
 * Parses the arguments of MAIL and RCPT (RFC 5321 4.1.1.2, 4.1.1.3, 4.1.2) into a {@link MailPath}
 * or the reply that refuses them (all listed, with the reasons for their codes, in
 * {@link PathReplies}).
 *
 * <p>Accepted beyond the letter of RFC 5321, because real clients send it and it is harmless:
 * spaces after the colon ({@code FROM: <a@b>}), and, as qmail-smtpd does, an address without angle
 * brackets when no parameters follow. A source route ({@code <@a,@b:user@host>}) is checked and
 * dropped (4.1.2: servers SHOULD ignore it). A path without a domain is accepted only as
 * {@code RCPT TO:<postmaster>} (4.5.1); qmail took any such address as local, but an unqualified
 * sender cannot be answered and an unqualified recipient is a guess. A quoted local part is kept
 * exactly as written, quotes and backslashes included. Non-ASCII addresses parse (RFC 6531 3.3);
 * whether the transaction allows them is the session's call, with {@link PathReplies#NEEDS_SMTPUTF8}.
 *
 * <p>Lengths are counted in UTF-8 octets. Local part and domain are checked before the whole path,
 * so the most specific limit is the one reported.
 */
public final class PathParser {

    /** RFC 5321 4.5.3.1.1: a local part is at most 64 octets. */
    public static final int MAX_LOCAL_PART_OCTETS = 64;
    /** RFC 5321 4.5.3.1.2: a domain is at most 255 octets. */
    public static final int MAX_DOMAIN_OCTETS = 255;
    /** RFC 5321 4.5.3.1.3: a path is at most 256 octets, angle brackets and source route included. */
    public static final int MAX_PATH_OCTETS = 256;

    private static final String POSTMASTER = "postmaster";

    private PathParser() {
    }

    /** Parses what follows "MAIL ": {@code FROM:<path> [parameters]}; the null path is allowed. */
    public static PathResult parseMailFrom(String argument) {
        return parse(argument, Side.SENDER);
    }

    /** Parses what follows "RCPT ": {@code TO:<path> [parameters]}; {@code <postmaster>} is allowed. */
    public static PathResult parseRcptTo(String argument) {
        return parse(argument, Side.RECIPIENT);
    }

    private static PathResult parse(String arg, Side side) {
        if (!arg.regionMatches(true, 0, side.keyword, 0, side.keyword.length())) {
            return new PathResult.Bad(side.usage);
        }
        int i = side.keyword.length();
        while (i < arg.length() && arg.charAt(i) == ' ') {
            i++;
        }
        int start;
        int end;
        int rest;
        int pathOctets;
        if (i < arg.length() && arg.charAt(i) == '<') {
            start = i + 1;
            end = scan(arg, start, '>');
            if (end < 0) {
                return new PathResult.Bad(side.badSyntax);
            }
            rest = end + 1;
            pathOctets = AddressSyntax.utf8Length(arg, i, rest);
        } else {
            start = i;
            end = scan(arg, start, ' ');
            if (end < 0) {
                end = arg.length();
            }
            rest = end;
            // Without brackets nothing but trailing spaces may follow: parameters need the brackets.
            if (start == end || !spacesOnly(arg, end)) {
                return new PathResult.Bad(side.badSyntax);
            }
            pathOctets = AddressSyntax.utf8Length(arg, start, end) + 2;
        }
        int replacement = arg.indexOf('\uFFFD', start);
        if (replacement >= 0 && replacement < end) {
            return new PathResult.Bad(side.notUtf8);
        }
        String address;
        if (start == end) {
            if (side != Side.SENDER) {
                return new PathResult.Bad(PathReplies.NULL_RECIPIENT);
            }
            address = "";
        } else {
            int mailbox = skipRoute(arg, start, end);
            if (mailbox < 0) {
                return new PathResult.Bad(side.badSyntax);
            }
            Reply refused = checkMailbox(arg, mailbox, end, side);
            if (refused != null) {
                return new PathResult.Bad(refused);
            }
            address = arg.substring(mailbox, end);
        }
        if (pathOctets > MAX_PATH_OCTETS) {
            return new PathResult.Bad(side.pathTooLong);
        }
        Map<String, String> params = new HashMap<>(4);
        Reply refused = EsmtpParameters.parse(arg, rest, side == Side.SENDER, params);
        if (refused != null) {
            return new PathResult.Bad(refused);
        }
        return new PathResult.Ok(new MailPath(address, params));
    }

    private static boolean spacesOnly(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (s.charAt(i) != ' ') {
                return false;
            }
        }
        return true;
    }

    /**
     * The index of the first {@code stop} character outside a quoted string, or -1. A quoted local
     * part may hold "&gt;" and spaces; whether the quotes sit where they may is checked later.
     */
    private static int scan(String s, int from, char stop) {
        boolean quoted = false;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    quoted = false;
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == stop) {
                return i;
            }
        }
        return -1;
    }

    /** RFC 5321 4.1.2 A-d-l ":": {@code @dom(,@dom)*:}. Returns where the mailbox starts, -1 if malformed. */
    private static int skipRoute(String s, int from, int to) {
        if (s.charAt(from) != '@') {
            return from;
        }
        int i = from;
        while (i < to && s.charAt(i) == '@') {
            int domainStart = i + 1;
            int j = domainStart;
            while (j < to && s.charAt(j) != ',' && s.charAt(j) != ':') {
                j++;
            }
            if (j == to || !AddressSyntax.isHostname(s, domainStart, j)) {
                return -1;
            }
            if (s.charAt(j) == ':') {
                return j + 1 < to ? j + 1 : -1;
            }
            i = j + 1;
        }
        return -1;
    }

    /** RFC 5321 4.1.2 Mailbox = Local-part "@" ( Domain / address-literal ). Null when valid. */
    private static Reply checkMailbox(String s, int from, int to, Side side) {
        int localEnd = s.charAt(from) == '"'
                ? AddressSyntax.quotedStringEnd(s, from, to)
                : AddressSyntax.dotStringEnd(s, from, to);
        if (localEnd < 0) {
            return side.badSyntax;
        }
        if (AddressSyntax.utf8Length(s, from, localEnd) > MAX_LOCAL_PART_OCTETS) {
            return side.localPartTooLong;
        }
        if (localEnd == to) {
            boolean postmaster = side == Side.RECIPIENT && to - from == POSTMASTER.length()
                    && s.regionMatches(true, from, POSTMASTER, 0, POSTMASTER.length());
            return postmaster ? null : side.badSyntax;
        }
        if (s.charAt(localEnd) != '@') {
            return side.badSyntax;
        }
        int domain = localEnd + 1;
        if (AddressSyntax.utf8Length(s, domain, to) > MAX_DOMAIN_OCTETS) {
            return side.domainTooLong;
        }
        boolean valid = domain < to && s.charAt(domain) == '['
                ? AddressSyntax.isAddressLiteral(s, domain, to)
                : AddressSyntax.isHostname(s, domain, to);
        return valid ? null : side.badSyntax;
    }

    /** What differs between the reverse path and the forward path. */
    private enum Side {
        SENDER("FROM:", PathReplies.MAIL_USAGE, PathReplies.BAD_SENDER, PathReplies.SENDER_NOT_UTF8,
                PathReplies.SENDER_LOCAL_PART_TOO_LONG, PathReplies.SENDER_DOMAIN_TOO_LONG,
                PathReplies.SENDER_PATH_TOO_LONG),
        RECIPIENT("TO:", PathReplies.RCPT_USAGE, PathReplies.BAD_RECIPIENT, PathReplies.RECIPIENT_NOT_UTF8,
                PathReplies.RECIPIENT_LOCAL_PART_TOO_LONG, PathReplies.RECIPIENT_DOMAIN_TOO_LONG,
                PathReplies.RECIPIENT_PATH_TOO_LONG);

        final String keyword;
        final Reply usage;
        final Reply badSyntax;
        final Reply notUtf8;
        final Reply localPartTooLong;
        final Reply domainTooLong;
        final Reply pathTooLong;

        Side(String keyword, Reply usage, Reply badSyntax, Reply notUtf8, Reply localPartTooLong,
                Reply domainTooLong, Reply pathTooLong) {
            this.keyword = keyword;
            this.usage = usage;
            this.badSyntax = badSyntax;
            this.notUtf8 = notUtf8;
            this.localPartTooLong = localPartTooLong;
            this.domainTooLong = domainTooLong;
            this.pathTooLong = pathTooLong;
        }
    }
}
