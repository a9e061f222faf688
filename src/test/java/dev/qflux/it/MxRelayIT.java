package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.dns.DnsPeer;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.TestConf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing by MX through a real DNS server (NSD on loopback, named in control/resolver): mail for
 * a domain goes to its MX host (smtp-sink on 127.0.0.2:25); a null MX and a domain that does not
 * exist fail for good and bounce to the sender with qmail's texts.
 */
class MxRelayIT {
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String ZONE = """
            $ORIGIN mx.test.
            $TTL 300
            @          SOA  ns hostmaster 1 3600 600 86400 300
            @          NS   ns
            ns         A    127.0.0.1
            dest       MX   10 mx1.dest
            dest       MX   20 mx2.dest
            mx1.dest   A    127.0.0.2
            mx2.dest   A    127.0.0.3
            nullmx     MX   0 .
            """;

    @TempDir
    Path dir;

    @Test
    void mxHostIsUsedAndDnsFailuresBounce() throws Exception {
        int port = FreePort.pick();
        try (DnsPeer nsd = DnsPeer.nsd(Files.createDirectories(dir.resolve("nsd")), Map.of("mx.test", ZONE));
             SmtpSink sink = SmtpSink.start(dir.resolve("sink"), "127.0.0.2", 25)) {
            TestConf.Paths conf = TestConf.in(dir.resolve("relay")).listen(port)
                    .control("concurrencyremote", "20")
                    .control("resolver", "127.0.0.1:" + nsd.address().getPort()).write();
            try (QfluxProcess qflux = QfluxProcess.start(conf)) {
                qflux.awaitListening(port);
                try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                    c.expectReply(220);
                    c.expect(250, "EHLO client.test");
                    for (String rcpt : new String[] {"a@dest.mx.test", "b@nullmx.mx.test", "c@nosuch.mx.test"}) {
                        assertThat(c.sendMail("alice@" + TestConf.ME, rcpt,
                                "Subject: to " + rcpt + "\r\n\r\nhi\r\n").code()).isEqualTo(250);
                    }
                }
                qflux.awaitCondition(BOUND, () -> qflux.log().contains("end msg 1")
                        && qflux.log().contains("end msg 2") && qflux.log().contains("end msg 3"),
                        "the three messages never finished");
                sink.awaitDumps(1, BOUND);
                String log = qflux.log();
                assertThat(log).contains("to remote a@dest.mx.test", "success: 127.0.0.2 accepted message.");
                assertThat(log).contains("null MX (RFC 7505)").contains("couldn't find any host named nosuch.mx.test");
                assertThat(log).contains("bounce msg 2 qp ").contains("bounce msg 3 qp ");
                // The two bounces wait for the local sender (local delivery is not built yet).
                assertThat(qflux.qstat()).isEqualTo(2);
                qflux.stop();
            }
            assertThat(sink.dumps()).hasSize(1);
        }
    }
}
