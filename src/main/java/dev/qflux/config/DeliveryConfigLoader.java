package dev.qflux.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the control files of {@link DeliveryConfig}; blocking file reads, like ConfigLoader. */
final class DeliveryConfigLoader {
    /** qmail-send.c: {@code concurrency[1] = 20} (remote). */
    static final long DEFAULT_CONCURRENCY_REMOTE = 20;
    /** qmail-send.c: {@code concurrency[0] = 10} (local). */
    static final long DEFAULT_CONCURRENCY_LOCAL = 10;
    /** Postfix's default_destination_concurrency_limit; qmail had no per-destination limit. */
    static final long DEFAULT_CONCURRENCY_PER_DESTINATION = 20;
    /** qmail-send.c: {@code lifetime = 604800} (one week). */
    static final long DEFAULT_QUEUE_LIFETIME_SECONDS = 604800;
    /** qmail-remote.c: {@code timeoutconnect = 60}. */
    static final long DEFAULT_TIMEOUT_CONNECT_SECONDS = 60;
    /** qmail-remote.c: {@code timeout = 1200}. */
    static final long DEFAULT_TIMEOUT_REMOTE_SECONDS = 1200;
    /** qmail-send.c: bouncefrom's default. */
    static final String DEFAULT_BOUNCE_FROM = "MAILER-DAEMON";
    /** qmail-send.c: doublebounceto's default. */
    static final String DEFAULT_DOUBLE_BOUNCE_TO = "postmaster";
    /** Seconds fit an int: 68 years, far beyond any use, and safe to add to a timestamp. */
    private static final long MAX_SECONDS = Integer.MAX_VALUE;

    private DeliveryConfigLoader() {
    }

    static DeliveryConfig load(ControlReader control, String me) throws ConfigException {
        return new DeliveryConfig(
                count(control, "concurrencyremote", DEFAULT_CONCURRENCY_REMOTE, 0),
                count(control, "concurrencylocal", DEFAULT_CONCURRENCY_LOCAL, 0),
                count(control, "concurrencyperdestination", DEFAULT_CONCURRENCY_PER_DESTINATION, 1),
                seconds(control, "queuelifetime", DEFAULT_QUEUE_LIFETIME_SECONDS, 0),
                seconds(control, "timeoutconnect", DEFAULT_TIMEOUT_CONNECT_SECONDS, 1),
                seconds(control, "timeoutremote", DEFAULT_TIMEOUT_REMOTE_SECONDS, 1),
                control.hostName("helohost").orElse(me),
                control.hostName("envnoathost").orElse(me),
                localPart(control, "bouncefrom", false).orElse(DEFAULT_BOUNCE_FROM),
                control.hostName("bouncehost").orElse(me),
                localPart(control, "doublebounceto", true).orElse(DEFAULT_DOUBLE_BOUNCE_TO),
                control.hostName("doublebouncehost").orElse(me),
                control.hostName("defaultdomain").orElse(me),
                control.hostName("defaulthost").orElse(me),
                control.hostName("plusdomain").orElse(me),
                control.hostName("idhost").orElse(me),
                new HashDomainSet(control.domains("percenthack", false).orElse(Set.of()), false),
                VirtualDomains.parse(list(control, "virtualdomains")),
                SmtpRoutes.parse(list(control, "smtproutes")),
                ResolverParser.parse(list(control, "resolver")));
    }

    private static int count(ControlReader control, String name, long defaultValue, long min)
            throws ConfigException {
        return (int) control.number(name, defaultValue, min, Integer.MAX_VALUE);
    }

    private static Duration seconds(ControlReader control, String name, long defaultValue, long min)
            throws ConfigException {
        return Duration.ofSeconds(control.number(name, defaultValue, min, MAX_SECONDS));
    }

    /** The entries of a list file; none when it is missing. */
    private static List<ControlLine> list(ControlReader control, String name) throws ConfigException {
        return ControlFiles.entries(control.file(name)).orElse(List.of());
    }

    /** A single-value file holding the user part of an address (bouncefrom, doublebounceto). */
    private static Optional<String> localPart(ControlReader control, String name, boolean emptyAllowed)
            throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(control.file(name));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        ControlLine line = found.get();
        String text = line.content();
        if (text.isEmpty() && !emptyAllowed) {
            throw line.error("empty; expected the user part of an address");
        }
        if (!VirtualDomains.isLocalPart(text)) {
            throw line.error("the user part of an address, without blanks, '@' or ':': "
                    + ControlLine.quote(text));
        }
        return Optional.of(text);
    }
}
