package dev.qflux.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The effective configuration read from a qmail-style control directory: immutable, so a reload
 * swaps one whole value for another and no session ever sees half of each.
 *
 * @param confDir            the conf directory (holds control/, tcp.smtp)
 * @param queueDir           spool directory (control/queuedir, relative to confDir's parent;
 *                           default var/queue beside confDir)
 * @param me                 control/me (qmail's FQDN; default of every "me" file)
 * @param smtpGreeting       control/smtpgreeting (default me), text after "220 "
 * @param localIpHost        control/localiphost (default me)
 * @param rcptHosts          control/rcpthosts + control/morercpthosts (default none: unlike qmail,
 *                           a missing rcpthosts accepts no domain rather than every one)
 * @param locals             control/locals (default me); whole domains only, as qmail-send
 * @param badMailFrom        control/badmailfrom
 * @param databytes          control/databytes, 0 = no limit
 * @param timeoutSmtpd       control/timeoutsmtpd (default 1200 s)
 * @param concurrencyIncoming control/concurrencyincoming: SMTP sessions in total (default 200)
 * @param concurrencyPerIp   control/concurrencyperip: SMTP sessions per client IP (default 50)
 * @param maxRcpt            control/maxrcpt: recipients per message (default 1000, as Postfix)
 * @param maxErrors          control/maxerrors: failed commands per session before 421 (default 20)
 * @param receiveBytes       control/receivebytes: bytes of messages being received held in memory
 *                           across all sessions (default 268435456)
 * @param queueFreeBytes     control/queuefree: free disk space the spool keeps; below it SMTP
 *                           answers 452 (default 67108864)
 * @param tcpRules           conf/tcp.smtp (default: allow everyone, set nothing)
 * @param listeners          control/listen (default 0.0.0.0:25 smtp, where qmail's tcpserver
 *                           listened; the shipped conf/ says 127.0.0.1:2525 smtp)
 * @param delivery           what delivery reads: concurrency, timeouts, bounce names,
 *                           percenthack, virtualdomains, smtproutes, resolver
 * @param log                control/logformat and control/logtimestamp
 * @param security           TLS certificate, login checkers and outbound TLS policy
 * @param smtpLimits         limits against abusive SMTP clients: connection rate, recipients per
 *                           session, minimum data rate, data timeout
 * @param admin              the admin endpoint and stopping: adminlisten, adminopen, draintimeout
 * @param pop3               the POP3 service's files: timeoutpop3, pop3plaintext, pop3maildir,
 *                           concurrencypop3, servercert.pem
 */
public record QfluxConfig(
        Path confDir,
        Path queueDir,
        String me,
        String smtpGreeting,
        String localIpHost,
        DomainSet rcptHosts,
        DomainSet locals,
        AddressList badMailFrom,
        long databytes,
        Duration timeoutSmtpd,
        int concurrencyIncoming,
        int concurrencyPerIp,
        int maxRcpt,
        int maxErrors,
        long receiveBytes,
        long queueFreeBytes,
        TcpRules tcpRules,
        List<ListenSpec> listeners,
        DeliveryConfig delivery,
        LogConfig log,
        SecurityConfig security,
        SmtpLimits smtpLimits,
        AdminConfig admin,
        Pop3Config pop3) {
}
