package dev.qflux.inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds the addresses in the value of an address field (RFC 5322 3.4: {@code address-list} of
 * mailboxes, {@code name <addr>} forms and groups), with where each one is written so it can be
 * replaced in place; everything else in the field (names, comments, folding) stays as written.
 * Comments and whitespace inside an address are dropped from the address returned.
 */
final class HeaderAddresses {
    /** One address found: its text, and the range of the field it was written in. */
    record Found(String address, int start, int end) {
    }

    private enum Kind { WORD, SPECIAL }

    private record Token(Kind kind, String text, int start, int end) {
        boolean is(char special) {
            return kind == Kind.SPECIAL && text.charAt(0) == special;
        }
    }

    private static final String SPECIALS = "()<>@,;:\\\".[]";

    private HeaderAddresses() {
    }

    /** The addresses in {@code field[from..]}, or null when the text is not an address list. */
    static List<Found> parse(String field, int from) {
        List<Token> tokens = tokenize(field, from);
        if (tokens == null) {
            return null;
        }
        List<Found> found = new ArrayList<>();
        List<Token> element = new ArrayList<>();
        int angle = 0;
        boolean inGroup = false;
        for (Token t : tokens) {
            if (t.is('<')) {
                angle++;
            } else if (t.is('>')) {
                angle--;
                if (angle < 0) {
                    return null;
                }
            } else if (angle == 0 && t.is(':') && !inGroup && !hasAddressSyntax(element)) {
                inGroup = true; // what came before was the group's display name
                element.clear();
                continue;
            } else if (angle == 0 && (t.is(',') || t.is(';'))) {
                if (!mailbox(element, found)) {
                    return null;
                }
                element.clear();
                if (t.is(';')) {
                    if (!inGroup) {
                        return null;
                    }
                    inGroup = false;
                }
                continue;
            }
            element.add(t);
        }
        if (angle != 0 || !mailbox(element, found)) {
            return null;
        }
        return found;
    }

    private static boolean hasAddressSyntax(List<Token> element) {
        for (Token t : element) {
            if (t.is('@') || t.is('<')) {
                return true;
            }
        }
        return false;
    }

    /** Adds the address of one mailbox ({@code addr-spec} or {@code [phrase] <addr-spec>}); false if malformed. */
    private static boolean mailbox(List<Token> element, List<Found> found) {
        if (element.isEmpty()) {
            return true; // empty list member, allowed by RFC 5322 4.4 (obs-addr-list)
        }
        int open = -1;
        for (int i = 0; i < element.size(); i++) {
            if (element.get(i).is('<')) {
                open = i;
                break;
            }
        }
        List<Token> spec;
        if (open >= 0) {
            int close = element.size() - 1;
            if (!element.get(close).is('>')) {
                return false;
            }
            spec = element.subList(open + 1, close);
            if (spec.isEmpty()) {
                return true; // <>: nobody
            }
        } else {
            spec = element;
            for (int i = 1; i < spec.size(); i++) {
                if (spec.get(i - 1).kind == Kind.WORD && spec.get(i).kind == Kind.WORD) {
                    return false; // two words in a row: a name without the angle brackets
                }
            }
        }
        StringBuilder text = new StringBuilder();
        for (Token t : spec) {
            if (t.kind == Kind.SPECIAL && !(t.is('.') || t.is('@') || t.is(',') || t.is(':'))) {
                return false;
            }
            text.append(t.text);
        }
        found.add(new Found(text.toString(), spec.get(0).start, spec.get(spec.size() - 1).end));
        return true;
    }

    /** Words (atoms, quoted strings, domain literals) and specials; comments and blanks dropped. Null if unbalanced. */
    private static List<Token> tokenize(String s, int from) {
        List<Token> tokens = new ArrayList<>();
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                i++;
            } else if (c == '(') {
                i = skipComment(s, i);
                if (i < 0) {
                    return null;
                }
            } else if (c == '"' || c == '[') {
                int end = closing(s, i, c == '"' ? '"' : ']');
                if (end < 0) {
                    return null;
                }
                tokens.add(new Token(Kind.WORD, s.substring(i, end), i, end));
                i = end;
            } else if (SPECIALS.indexOf(c) >= 0) {
                tokens.add(new Token(Kind.SPECIAL, String.valueOf(c), i, i + 1));
                i++;
            } else {
                int start = i;
                while (i < s.length() && s.charAt(i) > ' ' && s.charAt(i) != 0x7f && SPECIALS.indexOf(s.charAt(i)) < 0) {
                    i++;
                }
                if (i == start) {
                    return null; // a control character
                }
                tokens.add(new Token(Kind.WORD, s.substring(start, i), start, i));
            }
        }
        return tokens;
    }

    /** The index after a (possibly nested) comment starting at {@code i}, or -1. */
    private static int skipComment(String s, int i) {
        int depth = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i + 1;
            }
        }
        return -1;
    }

    /** The index after the {@code close} ending the quoted string or literal at {@code i}, or -1. */
    private static int closing(String s, int i, char close) {
        for (int j = i + 1; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == close) {
                return j + 1;
            }
        }
        return -1;
    }
}
