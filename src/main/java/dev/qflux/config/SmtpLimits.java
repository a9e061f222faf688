package dev.qflux.config;

import java.time.Duration;

/**
 * Limits against abusive SMTP clients that qmail left to tcpserver or did not have. Each is a
 * control file; 0 turns a count or rate off. Clients whose tcp.smtp rule sets RELAYCLIENT are
 * trusted and exempt from {@code connectRatePerIp} and {@code maxRcptSession}, as Postfix exempts
 * $mynetworks from its anvil limits (smtpd_client_event_limit_exceptions).
 *
 * @param connectRatePerIp  control/connectrateperip (default 600): connections one client address
 *                          may open per minute; more get 421 at connect. 0 = no limit
 * @param maxRcptSession    control/maxrcptsession (default 10000): recipients accepted in one
 *                          session, over all its transactions; more get 452. 0 = no limit
 * @param minDataRate       control/mindatarate (default 500 bytes/s, Postfix's smtpd_min_data_rate):
 *                          the slowest message content we wait for; a client below it over a whole
 *                          window, after the first (grace) window, gets 421 and is closed. 0 = off
 * @param dataRateWindow    control/mindataratewindow (default 30 s): the window of mindatarate
 * @param timeoutData       control/timeoutdata (default 300 s, the server's "DATA block" wait of
 *                          RFC 5321 4.5.3.2.7): silence allowed while message content is being
 *                          received; the command phases keep timeoutsmtpd
 */
public record SmtpLimits(int connectRatePerIp, int maxRcptSession, long minDataRate,
                         Duration dataRateWindow, Duration timeoutData) {

    /** The defaults, as a missing control directory would give them. */
    public static final SmtpLimits DEFAULTS = new SmtpLimits(
            (int) SmtpLimitsLoader.DEFAULT_CONNECT_RATE_PER_IP,
            (int) SmtpLimitsLoader.DEFAULT_MAX_RCPT_SESSION,
            SmtpLimitsLoader.DEFAULT_MIN_DATA_RATE,
            Duration.ofSeconds(SmtpLimitsLoader.DEFAULT_DATA_RATE_WINDOW_SECONDS),
            Duration.ofSeconds(SmtpLimitsLoader.DEFAULT_TIMEOUT_DATA_SECONDS));
}
