package dev.qflux.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The instructions half of a tcp.smtp rule: {@code allow} or {@code deny}, then
 * {@code ,NAME="value"} or {@code ,NAME=value} environment settings (tcprules(1)). A quoted value
 * runs to the next double quote and may hold commas; an unquoted one runs to the next comma.
 * tcprules also took any repeated character as the quote ({@code NAME=/value/}); qflux takes only
 * the double quote, so such a value would be read literally - hence quotes inside unquoted values
 * are refused rather than guessed at.
 */
final class RuleInstructions {
    private RuleInstructions() {
    }

    static AccessRule parse(String text) throws InvalidValue {
        int comma = text.indexOf(',');
        String verb = comma < 0 ? text : text.substring(0, comma);
        boolean allow;
        if (verb.equals("allow")) {
            allow = true;
        } else if (verb.equals("deny")) {
            allow = false;
        } else if (verb.indexOf(':') >= 0) {
            throw new InvalidValue("IPv6 addresses go in brackets, such as [2001:db8::1]:allow");
        } else {
            throw new InvalidValue("instructions start with allow or deny, not " + ControlLine.quote(verb));
        }
        Map<String, String> env = new LinkedHashMap<>();
        int pos = verb.length();
        while (pos < text.length()) {
            pos = assignment(text, pos + 1, env); // text.charAt(pos) is the ','
        }
        return new AccessRule(allow, Collections.unmodifiableMap(env));
    }

    /** Reads NAME=value at {@code start}; returns the index of the ',' after it or the end. */
    private static int assignment(String text, int start, Map<String, String> env) throws InvalidValue {
        int eq = start;
        while (eq < text.length() && text.charAt(eq) != '=' && text.charAt(eq) != ',') {
            eq++;
        }
        String name = text.substring(start, eq);
        if (eq == text.length() || text.charAt(eq) != '=') {
            throw new InvalidValue(name.isEmpty() ? "empty instruction after ','"
                    : "expected NAME=value, got " + ControlLine.quote(name));
        }
        if (!isName(name)) {
            throw new InvalidValue("not an environment variable name: " + ControlLine.quote(name));
        }
        int from = eq + 1;
        String value;
        int end;
        if (from < text.length() && text.charAt(from) == '"') {
            int close = text.indexOf('"', from + 1);
            if (close < 0) {
                throw new InvalidValue("missing closing quote in the value of " + name);
            }
            value = text.substring(from + 1, close);
            end = close + 1;
            if (end < text.length() && text.charAt(end) != ',') {
                throw new InvalidValue("expected ',' after the quoted value of " + name);
            }
        } else {
            end = text.indexOf(',', from);
            end = end < 0 ? text.length() : end;
            value = text.substring(from, end);
            if (value.indexOf('"') >= 0) {
                throw new InvalidValue("stray quote in the value of " + name + ": " + ControlLine.quote(value));
            }
        }
        if (env.putIfAbsent(name, value) != null) {
            throw new InvalidValue(name + " is set twice");
        }
        return end;
    }

    /** A POSIX shell variable name: a letter or underscore, then letters, digits, underscores. */
    private static boolean isName(String s) {
        if (s.isEmpty() || Character.isDigit(s.charAt(0))) {
            return false;
        }
        return s.chars().allMatch(c -> c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
                || (c >= '0' && c <= '9'));
    }
}
