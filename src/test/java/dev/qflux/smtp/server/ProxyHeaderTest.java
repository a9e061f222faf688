package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.spool.QueueEntry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROXY v1 from a trusted balancer: the original client address is what tcp.smtp, the Received
 * line and the relay decision see. (HAProxy itself, with v2, is exercised in ProxyProtocolIT.)
 */
class ProxyHeaderTest {
    @TempDir
    Path dir;

    private static final Map<String, String> CONF = Map.of(
            "control/listen", "127.0.0.1:0 smtp proxy=127.0.0.1/32",
            "tcp.smtp", "203.0.113.9:allow,RELAYCLIENT=\"\"\n:allow");

    @Test
    void relayDecisionAndReceivedLineUseTheProxiedAddress() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, CONF)) {
            assertThat(send(server, "203.0.113.9", "far@elsewhere.example")).startsWith("250 2.1.5");
            assertThat(send(server, "198.51.100.7", "far@elsewhere.example")).startsWith("553 5.7.1");
            List<QueueEntry> queued = server.entries();
            assertThat(queued).hasSize(1);
            assertThat(server.body(queued.get(0)))
                    .startsWith("Received: from unknown (HELO balanced) (203.0.113.9)\r\n  by mx.example.test with ESMTP; ");
        }
    }

    @Test
    void malformedHeaderFromTrustedPeerClosesWithoutGreeting() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, CONF);
             Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write("PROXY TCP4 nonsense\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(s.getInputStream().read()).isEqualTo(-1);
        }
    }

    private static String send(ServerFixture server, String client, String rcpt) throws Exception {
        try (Socket s = new Socket(server.address().getAddress(), server.address().getPort())) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out.write(("PROXY TCP4 " + client + " 127.0.0.1 40000 25\r\n").getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO balanced\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            while (!(line = in.readLine()).startsWith("250 ")) {
                assertThat(line).startsWith("250-");
            }
            out.write("MAIL FROM:<a@example.org>\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).startsWith("250 ");
            out.write(("RCPT TO:<" + rcpt + ">\r\n").getBytes(StandardCharsets.US_ASCII));
            String rcptReply = in.readLine();
            if (rcptReply.startsWith("250")) {
                out.write("DATA\r\nSubject: t\r\n\r\nhi\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("354");
                assertThat(in.readLine()).startsWith("250 2.0.0");
            }
            return rcptReply;
        }
    }
}
