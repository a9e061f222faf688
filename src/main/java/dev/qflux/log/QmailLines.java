package dev.qflux.log;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads qflux's log lines back into events. The qmail line is each event's one written form, so
 * qmailanalog-style tools and the JSON output cannot disagree: this is the grammar those tools
 * apply (qmail-facts: "Logs"), kept in one table. A line of no known kind is an {@code other}
 * event carrying its text, so a new line never breaks the JSON output.
 */
final class QmailLines {
    /**
     * One kind of line: its pattern's named groups ({@code names}, in order) become fields; those
     * in {@code numbers} are numbers.
     */
    private record Kind(String event, Pattern pattern, List<String> names, List<String> numbers) {
    }

    private static final List<Kind> KINDS = List.of(
            kind("new", "new msg (?<msg>\\d+)", "msg"),
            kind("info", "info msg (?<msg>\\d+): bytes (?<bytes>\\d+) from <(?<from>.*)> qp (?<qp>\\d+) uid (?<uid>-?\\d+)",
                    "msg", "bytes", "qp", "uid"),
            kind("starting", "starting delivery (?<d>\\d+): msg (?<msg>\\d+) to (?<channel>local|remote) (?<to>.*)",
                    "d", "msg"),
            kind("delivery", "delivery (?<d>\\d+): (?<result>success|deferral|failure): (?<text>.*)", "d"),
            kind("status", "status: local (?<local>\\d+)/(?<localmax>\\d+) remote (?<remote>\\d+)/(?<remotemax>\\d+)",
                    "local", "localmax", "remote", "remotemax"),
            kind("bounce", "bounce msg (?<msg>\\d+) qp (?<qp>\\d+)", "msg", "qp"),
            kind("discard", "(?<kind>double|triple) bounce: discarding msg (?<msg>\\d+)", "msg"),
            kind("end", "end msg (?<msg>\\d+)", "msg"),
            kind("smtpd", "smtpd: end (?:qp (?<qp>\\d+) from (?<client>\\S+)|(?<peer>\\S+)) helo (?<helo>.*) "
                    + "accepted (?<accepted>\\d+) errors (?<errors>\\d+) \\((?<how>.*)\\)", "qp", "accepted", "errors"),
            kind("warning", "warning: (?<text>.*)"),
            kind("status", "status: (?<text>.*)"),
            kind("stats", "stats: (?<text>.*)"));

    private QmailLines() {
    }

    private static Kind kind(String event, String regex, String... numbers) {
        List<String> names = new ArrayList<>();
        Matcher group = Pattern.compile("\\(\\?<([a-zA-Z][a-zA-Z0-9]*)>").matcher(regex);
        while (group.find()) {
            names.add(group.group(1));
        }
        return new Kind(event, Pattern.compile(regex, Pattern.DOTALL), List.copyOf(names), List.of(numbers));
    }

    static LogEvent parse(String line) {
        for (Kind kind : KINDS) {
            Matcher m = kind.pattern().matcher(line);
            if (m.matches()) {
                return new LogEvent(kind.event(), fields(kind, m));
            }
        }
        return new LogEvent("other", Map.of("text", line));
    }

    private static Map<String, Object> fields(Kind kind, Matcher m) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String name : kind.names()) {
            String value = m.group(name);
            if (value == null) {
                continue; // the other side of an alternative
            }
            fields.put(name, kind.numbers().contains(name) ? number(value) : value);
        }
        return fields;
    }

    /** A decimal field; one too long for a long (it cannot happen today) stays text. */
    private static Object number(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return digits;
        }
    }
}
