package dev.qflux.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds a {@link QfluxConfig} from a qmail-style conf directory: {@code control/<name>} files
 * with qmail's names, formats and defaults, plus {@code tcp.smtp}. Reads files, so it blocks:
 * call it at start-up or from a thread made for blocking work, never from an event loop.
 */
public final class ConfigLoader {
    /** qmail-smtpd.c: {@code timeout = 1200}. */
    static final long DEFAULT_TIMEOUT_SMTPD_SECONDS = 1200;
    /** SMTP sessions in all; tcpserver's own default is 40, qflux sessions cost far less than a process. */
    static final long DEFAULT_CONCURRENCY_INCOMING = 200;
    /** Sessions per client IP: one busy peer may not take all of concurrencyincoming. */
    static final long DEFAULT_CONCURRENCY_PER_IP = 50;
    /** Postfix's smtpd_recipient_limit; qmail had none. */
    static final long DEFAULT_MAX_RCPT = 1000;
    /** Failed commands per session before 421, as Postfix's smtpd_hard_error_limit (20). */
    static final long DEFAULT_MAX_ERRORS = 20;
    /** 256 MiB of message data being received, in memory, across every session. */
    static final long DEFAULT_RECEIVE_BYTES = 256L * 1024 * 1024;
    /** 64 MiB of disk the spool leaves free; below it SMTP answers 452 (RFC 5321 4.2.3: insufficient storage). */
    static final long DEFAULT_QUEUE_FREE = 64L * 1024 * 1024;

    private ConfigLoader() {
    }

    /**
     * Reads {@code confDir}. A missing optional file gives its default (see {@link QfluxConfig});
     * {@code control/me} is required.
     *
     * @throws ConfigException naming the file and line of the first problem found
     */
    public static QfluxConfig load(Path confDir) throws ConfigException {
        return load(confDir, new ControlReader(confDir.resolve("control")));
    }

    /** {@link #load(Path)} through a given reader, so a test can see which files were read. */
    static QfluxConfig load(Path confDir, ControlReader control) throws ConfigException {
        if (!Files.isDirectory(confDir)) {
            throw new ConfigException(confDir + ": not a directory; expected a conf directory holding control/");
        }
        String me = control.hostName("me").orElseThrow(() -> new ConfigException(
                control.file("me") + ": missing; it must hold this host's fully qualified name"));
        Path parent = confDir.resolve("..");

        Set<String> rcptHosts = new HashSet<>(control.domains("rcpthosts", true).orElse(Set.of()));
        rcptHosts.addAll(control.domains("morercpthosts", true).orElse(Set.of()));
        Set<String> locals = control.domains("locals", false)
                .orElse(Set.of(DomainNames.normalizeOrSelf(me)));

        return new QfluxConfig(
                confDir,
                control.directory("queuedir", parent).orElse(parent.resolve("var/queue").normalize()),
                me,
                control.text("smtpgreeting").orElse(me),
                control.hostName("localiphost").orElse(me),
                new HashDomainSet(rcptHosts, true),
                new HashDomainSet(locals, false),
                new HashAddressList(control.addresses("badmailfrom")),
                control.number("databytes", 0, 0, Long.MAX_VALUE),
                Duration.ofSeconds(control.number("timeoutsmtpd", DEFAULT_TIMEOUT_SMTPD_SECONDS, 1,
                        Integer.MAX_VALUE)),
                (int) control.number("concurrencyincoming", DEFAULT_CONCURRENCY_INCOMING, 1, Integer.MAX_VALUE),
                (int) control.number("concurrencyperip", DEFAULT_CONCURRENCY_PER_IP, 1, Integer.MAX_VALUE),
                (int) control.number("maxrcpt", DEFAULT_MAX_RCPT, 1, Integer.MAX_VALUE),
                (int) control.number("maxerrors", DEFAULT_MAX_ERRORS, 1, Integer.MAX_VALUE),
                control.number("receivebytes", DEFAULT_RECEIVE_BYTES, 1, Long.MAX_VALUE),
                control.number("queuefree", DEFAULT_QUEUE_FREE, 0, Long.MAX_VALUE),
                tcpRules(confDir.resolve("tcp.smtp")),
                listeners(control.file("listen")),
                DeliveryConfigLoader.load(control, me),
                LogConfigLoader.load(control),
                SecurityConfigLoader.load(control),
                SmtpLimitsLoader.load(control),
                AdminConfigLoader.load(confDir),
                Pop3ConfigLoader.load(control));
    }

    /** A missing tcp.smtp lets everyone connect and nobody relay: no rule sets RELAYCLIENT. */
    private static TcpRules tcpRules(Path file) throws ConfigException {
        Optional<List<ControlLine>> lines = ControlFiles.entries(file);
        if (lines.isEmpty()) {
            return new RuleTable.Builder().build(); // no rules: allow, empty env
        }
        return TcpRulesParser.parse(lines.get());
    }

    private static List<ListenSpec> listeners(Path file) throws ConfigException {
        Optional<List<ControlLine>> lines = ControlFiles.entries(file);
        if (lines.isEmpty()) {
            return List.of(ListenParser.DEFAULT);
        }
        return ListenParser.parse(lines.get());
    }
}
