package dev.qflux.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every file in control/ that qflux reads, with its shape, meaning and default: the one table
 * {@code qflux showctl} prints and checks control/ against (qmail-showctl's list). A loader that
 * reads a new control file adds one line here; {@code ControlCatalogTest} fails until it does.
 */
public final class ControlCatalog {
    /** How a file is read (docs/configuration.md, "File formats"). */
    public enum Shape {
        /** The first line is the value. */
        VALUE,
        /** One entry per line; blank and {@code #} lines skipped. */
        LIST
    }

    /**
     * One control file.
     *
     * @param defaultValue the effective value when the file is missing, from the loaded
     *                     configuration (many default to control/me)
     */
    public record Entry(String name, Shape shape, String meaning,
                        Function<QfluxConfig, String> defaultValue) {
    }

    private static final List<Entry> ENTRIES = List.of(
            value("me", "this host's fully qualified name; the default of every \"me\" file", c -> "(required)"),
            value("smtpgreeting", "text after 220 in the SMTP greeting", QfluxConfig::me),
            value("localiphost", "name box@[our IP] is rewritten to", QfluxConfig::me),
            list("rcpthosts", "domains accepted from anyone; .domain covers subdomains", c -> "none: relay clients only"),
            list("morercpthosts", "more rcpthosts entries", c -> "none"),
            list("locals", "domains delivered on this host", QfluxConfig::me),
            list("badmailfrom", "envelope senders refused; @host covers a host", c -> "none"),
            value("databytes", "largest message in bytes; 0 = no limit", c -> "0"),
            value("timeoutsmtpd", "seconds an SMTP client may stay silent", num(ConfigLoader.DEFAULT_TIMEOUT_SMTPD_SECONDS)),
            value("concurrencyincoming", "SMTP sessions at once", num(ConfigLoader.DEFAULT_CONCURRENCY_INCOMING)),
            value("concurrencyperip", "SMTP sessions at once from one client address", num(ConfigLoader.DEFAULT_CONCURRENCY_PER_IP)),
            value("maxrcpt", "recipients per message", num(ConfigLoader.DEFAULT_MAX_RCPT)),
            value("maxerrors", "failed commands per session before 421", num(ConfigLoader.DEFAULT_MAX_ERRORS)),
            value("receivebytes", "bytes of messages being received held in memory", num(ConfigLoader.DEFAULT_RECEIVE_BYTES)),
            value("queuefree", "free disk bytes the spool keeps; below it SMTP answers 452", num(ConfigLoader.DEFAULT_QUEUE_FREE)),
            value("queuedir", "spool directory", c -> c.queueDir().toString()),
            list("listen", "listeners: ADDRESS:PORT PROTOCOL [options]", c -> "0.0.0.0:25 smtp"),
            value("concurrencyremote", "remote deliveries at once; 0 holds them", num(DeliveryConfigLoader.DEFAULT_CONCURRENCY_REMOTE)),
            value("concurrencylocal", "local deliveries at once; 0 holds them", num(DeliveryConfigLoader.DEFAULT_CONCURRENCY_LOCAL)),
            value("concurrencyperdestination", "remote deliveries at once to one destination", num(DeliveryConfigLoader.DEFAULT_CONCURRENCY_PER_DESTINATION)),
            value("queuelifetime", "seconds a message may stay queued", num(DeliveryConfigLoader.DEFAULT_QUEUE_LIFETIME_SECONDS)),
            value("timeoutconnect", "seconds to wait for a remote SMTP connection", num(DeliveryConfigLoader.DEFAULT_TIMEOUT_CONNECT_SECONDS)),
            value("timeoutremote", "seconds to wait for a remote SMTP reply", num(DeliveryConfigLoader.DEFAULT_TIMEOUT_REMOTE_SECONDS)),
            value("helohost", "name we send in HELO/EHLO", QfluxConfig::me),
            value("envnoathost", "domain added to recipients without @", QfluxConfig::me),
            value("bouncefrom", "user part of a bounce's From:", c -> DeliveryConfigLoader.DEFAULT_BOUNCE_FROM),
            value("bouncehost", "host part of a bounce's From:", QfluxConfig::me),
            value("doublebounceto", "user a failed bounce goes to; empty = discard", c -> DeliveryConfigLoader.DEFAULT_DOUBLE_BOUNCE_TO),
            value("doublebouncehost", "host a failed bounce goes to", QfluxConfig::me),
            value("defaultdomain", "domain added to host names without a dot (inject)", QfluxConfig::me),
            value("defaulthost", "host added to addresses without @ (inject)", QfluxConfig::me),
            value("plusdomain", "domain that replaces a trailing + (inject)", QfluxConfig::me),
            value("idhost", "host name in Message-IDs (inject)", QfluxConfig::me),
            list("percenthack", "domains where user%host@domain becomes user@host", c -> "none"),
            list("virtualdomains", "user@dom or dom : prepend; deliver locally as prepend-user", c -> "none"),
            list("smtproutes", "domain:relay[:port]; :relay is a smarthost for all", c -> "none: MX"),
            list("resolver", "DNS servers to ask, ADDRESS[:PORT]", c -> "the system's (/etc/resolv.conf)"),
            value("logformat", "log lines: qmail or json", c -> "qmail"),
            value("logtimestamp", "log line prefix: none, tai64n or iso8601", c -> "none"),
            value("defaultdelivery", "delivery for users without a .qmail file (Life with qmail)", c -> "./Mailbox"),
            value("timeoutlocal", "seconds a |program line or a mailbox write for a user may run", num(3600)),
            value("servercert.pem", "TLS key and certificate chain (PEM): STARTTLS and smtps", c -> "none: no TLS"),
            value("passwords", "SMTP AUTH and POP3 accounts, written by qflux passwd", c -> "none"),
            value("checkpassword", "a checkpassword program instead of passwords", c -> "none"),
            value("authplaintext", "AUTH without TLS: loopback, allow or deny", c -> "loopback"),
            value("authfaildelay", "seconds before answering a failed login", num(2)),
            value("authfailures", "failed logins per client address in 10 minutes before 454", num(10)),
            list("tlsdestinations", "outbound TLS policy, domain:none|may|encrypt|verify", c -> "may everywhere"),
            value("tlsca.pem", "CA certificates trusted for verify destinations", c -> "the JDK's trust store"),
            value("connectrateperip", "SMTP connections a minute from one address before 421", c -> Integer.toString(c.smtpLimits().connectRatePerIp())),
            value("maxrcptsession", "recipients per SMTP session, over all its messages", c -> Integer.toString(c.smtpLimits().maxRcptSession())),
            value("mindatarate", "bytes a second a client must keep up while sending content", c -> Long.toString(c.smtpLimits().minDataRate())),
            value("mindataratewindow", "seconds over which mindatarate is measured (the first is grace)", c -> Long.toString(c.smtpLimits().dataRateWindow().toSeconds())),
            value("timeoutdata", "seconds of silence allowed while content is sent", c -> Long.toString(c.smtpLimits().timeoutData().toSeconds())),
            value("adminlisten", "the admin endpoint's loopback address and port", c -> c.admin().listen().getAddress().getHostAddress() + ":" + c.admin().listen().getPort()),
            list("adminopen", "admin paths served without the token (/health, /ready, /metrics)", c -> String.join(" ", c.admin().openPaths())),
            value("draintimeout", "seconds a stop waits for sessions and deliveries", c -> Long.toString(c.admin().drainTimeout().toSeconds())),
            value("stopgrace", "seconds a stop keeps accepting after /ready turned 503", c -> Long.toString(c.admin().stopGrace().toSeconds())),
            value("timeoutpop3", "seconds a POP3 client may stay silent", c -> Long.toString(c.pop3().timeout().toSeconds())),
            value("pop3plaintext", "1: USER/PASS allowed without TLS from anywhere, not only loopback", c -> c.pop3().plaintextAnywhere() ? "1" : "0"),
            value("pop3maildir", "the Maildir's name inside a user's home", c -> c.pop3().maildirName()),
            value("concurrencypop3", "POP3 sessions at once", c -> Integer.toString(c.pop3().concurrency())));

    /**
     * qmail files that may be copied across but that qflux does not read, with what to do instead.
     * Finding one is not an error: it is noted so the administrator can remove it.
     */
    private static final Map<String, String> NOT_READ = notRead();

    private ControlCatalog() {
    }

    /** Every file qflux reads, in the order showctl prints them. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    public static Optional<Entry> find(String name) {
        for (Entry e : ENTRIES) {
            if (e.name().equals(name)) {
                return Optional.of(e);
            }
        }
        return Optional.empty();
    }

    /** Why qflux does not read {@code name}, if it is a qmail file it knows of but does not use. */
    public static Optional<String> notRead(String name) {
        return Optional.ofNullable(NOT_READ.get(name));
    }

    private static Map<String, String> notRead() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("morercpthosts.cdb", "qmail-newmrh's compiled file; qflux reads morercpthosts itself");
        m.put("qmqpservers", "QMQP is not part of qflux");
        return Map.copyOf(m);
    }

    private static Entry value(String name, String meaning, Function<QfluxConfig, String> def) {
        return new Entry(name, Shape.VALUE, meaning, def);
    }

    private static Entry list(String name, String meaning, Function<QfluxConfig, String> def) {
        return new Entry(name, Shape.LIST, meaning, def);
    }

    private static Function<QfluxConfig, String> num(long value) {
        return c -> Long.toString(value);
    }
}
