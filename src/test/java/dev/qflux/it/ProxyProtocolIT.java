package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Haproxy;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.Swaks;
import dev.qflux.it.support.TestConf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HAProxy (TCP mode, send-proxy-v2) in front of a qflux listener that trusts PROXY headers from
 * 127.0.0.1 only. The address in the header is the client for every purpose: the Received line
 * names it and tcp.smtp decides relaying by it (127.0.0.3 has RELAYCLIENT, 127.0.0.4 does not).
 * A client that sends its own PROXY header from an untrusted address gets nothing from it.
 */
class ProxyProtocolIT {
    private static final String OUTSIDE = "someone@outside.example";
    private static final String RELAY_CLIENT = "127.0.0.3";
    private static final String STRANGER = "127.0.0.4";
    private static final String UNTRUSTED_PEER = "127.0.0.2";

    @TempDir
    Path dir;

    private int qfluxPort;
    private TestConf.Paths conf;
    private QfluxProcess qflux;
    private Haproxy haproxy;

    @BeforeEach
    void startQfluxBehindHaproxy() {
        qfluxPort = FreePort.pick();
        conf = TestConf.in(dir).listenBehindProxy(qfluxPort, "127.0.0.1/32")
                .tcpRules(RELAY_CLIENT + ":allow,RELAYCLIENT=\"\"", ":allow").write();
        qflux = QfluxProcess.start(conf);
        haproxy = Haproxy.startProxyV2(conf.logDir(), FreePort.pick(), qfluxPort);
        qflux.awaitListening(haproxy.frontPort());
    }

    @AfterEach
    void stopAll() {
        if (haproxy != null) {
            haproxy.close();
        }
        if (qflux != null) {
            qflux.close();
        }
    }

    @Test
    void proxiedRelayClientMayRelayAndIsNamedInReceived() {
        ExternalProcess.Result sent = swaksVia(RELAY_CLIENT, OUTSIDE, "<proxied.3@proxy.test>");

        assertThat(sent.exitCode()).as(sent.describe()).isZero();
        SpooledMessage m = SpoolInspector.byMessageId(stopAndScan(), "<proxied.3@proxy.test>");
        assertThat(m.recipients()).containsExactly(OUTSIDE);
        assertThat(m.firstHeaderField()).startsWith("Received: from ")
                .contains("(" + RELAY_CLIENT + ")").doesNotContain("127.0.0.1");
    }

    @Test
    void proxiedStrangerMayNotRelayButMaySendToUs() {
        ExternalProcess.Result relay = swaksVia(STRANGER, OUTSIDE, "<relay.4@proxy.test>");
        ExternalProcess.Result local = swaksVia(STRANGER, "bob@" + TestConf.ME, "<local.4@proxy.test>");

        assertThat(relay.exitCode()).as(relay.describe()).isEqualTo(Swaks.EXIT_RCPT_REFUSED);
        assertThat(relay.output()).contains("<** 553 5.7.1");
        assertThat(local.exitCode()).as(local.describe()).isZero();
        List<SpooledMessage> spool = stopAndScan();
        assertThat(spool).hasSize(1);
        assertThat(SpoolInspector.byMessageId(spool, "<local.4@proxy.test>").firstHeaderField())
                .contains("(" + STRANGER + ")").doesNotContain("127.0.0.1");
    }

    /**
     * A peer outside proxy= sends a header claiming to be the relay client, then tries to relay.
     * It must see a 5xx or a closed connection, never a 250 for the outside recipient, and qflux
     * must go on serving proxied clients.
     */
    @ParameterizedTest(name = "PROXY v{0} header from an untrusted peer")
    @ValueSource(ints = {1, 2})
    void proxyHeaderFromUntrustedPeerIsRefused(int version) throws IOException {
        String transcript = spoofFrom(UNTRUSTED_PEER, version == 1 ? proxyV1() : proxyV2());
        ExternalProcess.Result after = swaksVia(RELAY_CLIENT, OUTSIDE, "<after.spoof@proxy.test>");

        assertThat(transcript).as("5xx or closed before any relaying").containsPattern("S: 5\\d\\d|S: \\(closed\\)");
        assertThat(transcript).as("relaying to an outside domain was granted")
                .doesNotContain("C: RCPT TO:<" + OUTSIDE + ">\nS: 250");
        assertThat(after.exitCode()).as(after.describe()).isZero();
        List<SpooledMessage> spool = stopAndScan();
        assertThat(spool).as(transcript).singleElement()
                .satisfies(m -> assertThat(m.messageId()).contains("<after.spoof@proxy.test>"));
    }

    private ExternalProcess.Result swaksVia(String clientAddress, String recipient, String messageId) {
        return Swaks.against(haproxy.frontPort()).localInterface(clientAddress)
                .from("sender@client.test").to(recipient).header("Message-Id", messageId).run();
    }

    /** Connects straight to qflux, sends the header and a relay attempt; returns the transcript. */
    private String spoofFrom(String peer, byte[] header) throws IOException {
        InetSocketAddress server = new InetSocketAddress(InetAddress.getLoopbackAddress(), qfluxPort);
        try (RawSmtpClient c = RawSmtpClient.connect(server, InetAddress.getByName(peer))) {
            try {
                c.write(header);
                // CRLF first, so the header's trailing bytes are a line of their own, not EHLO's.
                c.send("");
                c.send("EHLO spoofer.client.test");
                // Greeting, refusals of the header's bytes, then EHLO's 250: read up to that.
                RawSmtpClient.Reply r;
                do {
                    r = c.readReply();
                } while (r.code() != 250);
                c.command("MAIL FROM:<spoofer@client.test>");
                if (c.command("RCPT TO:<" + OUTSIDE + ">").code() == 250
                        && c.command("DATA").code() == 354) {
                    c.write(RawSmtpClient.dotStuffed("Message-ID: <spoofed@proxy.test>\r\n\r\nrelayed\r\n"));
                    c.readReply();
                }
            } catch (IOException closed) {
                // A closed connection is one of the two right answers; the transcript shows it.
            }
            return c.transcript();
        }
    }

    /** PROXY v1 (spec section 2.1) claiming the connection comes from the relay client. */
    private byte[] proxyV1() {
        return ("PROXY TCP4 " + RELAY_CLIENT + " 127.0.0.1 40000 " + qfluxPort + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** PROXY v2 (spec section 2.2), TCP over IPv4, claiming the relay client as source. */
    private byte[] proxyV2() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        out.write(0x21); // version 2, PROXY command
        out.write(0x11); // AF_INET, STREAM
        out.write(new byte[] {0, 12});
        out.write(InetAddress.getByName(RELAY_CLIENT).getAddress());
        out.write(InetAddress.getLoopbackAddress().getAddress());
        out.write(new byte[] {(byte) (40000 >> 8), (byte) (40000 & 0xFF)});
        out.write(new byte[] {(byte) (qfluxPort >> 8), (byte) (qfluxPort & 0xFF)});
        return out.toByteArray();
    }

    private List<SpooledMessage> stopAndScan() {
        haproxy.close();
        qflux.stop();
        return SpoolInspector.scan(conf.queueDir());
    }
}
