package dev.qflux.smtp.server;

import dev.qflux.config.AccessRule;
import dev.qflux.config.QfluxConfig;
import dev.qflux.log.LogSink;
import dev.qflux.spool.SpoolWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.function.Predicate;

/**
 * Everything one SMTP session needs from outside, fixed when the client is known (after a PROXY
 * header, if any): the configuration in force at connect time, the spool, the log, and who the
 * client is.
 *
 * @param client the client's address: the original one from a PROXY header when trusted
 * @param rule   the tcp.smtp rule that matched the client
 * @param qp     this session's number, shown where qmail shows qmail-queue's pid
 * @param uid    the process's uid, for the "info msg" log line
 * @param recipientExists whether delivery knows a recipient (unknown local users are refused at RCPT)
 * @param gate   whether MAIL may start a transaction now (pause, stop)
 * @param commands counts commands by verb and reply code, for metrics
 */
record SessionContext(QfluxConfig config, SpoolWriter spool, LogSink log, Clock clock,
                      InetSocketAddress client, InetSocketAddress local, AccessRule rule,
                      long qp, long uid, Predicate<String> recipientExists, MailGate gate,
                      CommandCounter commands) {

    String clientIp() {
        return client.getAddress().getHostAddress();
    }
}
