package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What pause --smtp and a stop do to SMTP sessions, on a real server watched by BlockHound. */
class PauseAndStopTest {
    @TempDir
    Path dir;

    @Test
    void pausedMailGets451AndTheSessionStaysOpen() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, Map.of());
             Client c = new Client(server)) {
            c.expect("220 ");
            c.say("HELO c");
            c.expect("250 ");
            server.ctx.pauseMail(true);
            assertThat(server.ctx.mailPaused()).isTrue();
            c.say("MAIL FROM:<a@example.org>");
            c.expect("451 4.3.2 mail system paused, try again later");
            server.ctx.pauseMail(false);
            c.say("MAIL FROM:<a@example.org>");
            c.expect("250 2.1.0 ok");
        }
    }

    @Test
    void afterStopAcceptingOpenSessionsGoOnAndNewMailGets421() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, Map.of());
             Client c = new Client(server)) {
            c.expect("220 ");
            assertThat(server.server.openConnections()).isEqualTo(1);
            server.server.stopAccepting();
            server.ctx.refuseMailForShutdown();
            assertThatThrownBy(() -> new Socket(server.address().getAddress(), server.address().getPort()))
                    .isInstanceOf(ConnectException.class);
            c.say("HELO c");
            c.expect("250 ");
            c.say("MAIL FROM:<a@example.org>");
            c.expect("421 4.3.2 mx.example.test shutting down, try again later");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void shutdownSessionsCutsASessionInDataWith421() throws Exception {
        try (ServerFixture server = ServerFixture.start(dir, Map.of());
             Client c = new Client(server)) {
            c.expect("220 ");
            c.say("HELO c");
            c.expect("250 ");
            c.say("MAIL FROM:<a@example.org>");
            c.expect("250 ");
            c.say("RCPT TO:<b@localhost>");
            c.expect("250 ");
            c.say("DATA");
            c.expect("354 ");
            c.say("Subject: half");
            server.server.shutdownSessions();
            c.expect("421 4.3.2 mx.example.test shutting down, try again later");
            assertThat(c.closedByServer()).isTrue();
            assertThat(server.queued()).isZero();
        }
    }

    /** A line-at-a-time SMTP client on a plain socket. */
    private static final class Client implements AutoCloseable {
        final Socket socket;
        final BufferedReader in;
        final OutputStream out;

        Client(ServerFixture server) throws IOException {
            socket = new Socket(server.address().getAddress(), server.address().getPort());
            socket.setSoTimeout(30_000);
            in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            out = socket.getOutputStream();
        }

        void say(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }

        void expect(String start) throws IOException {
            String line = in.readLine();
            assertThat(line).startsWith(start);
        }

        /** EOF, or a reset: the server closed with our last bytes unread, which is also a close. */
        boolean closedByServer() throws IOException {
            try {
                return in.read() == -1;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
