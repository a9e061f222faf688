package dev.qflux.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw SMTP client over a real socket that sends exactly the bytes a test gives it (no CRLF
 * fixing, no dot-stuffing) and reads replies whole: a multi-line reply comes back as its lines
 * joined with "\n". Nothing here is lenient, so what the server sends is what the test sees.
 */
final class Wire implements AutoCloseable {
    /** Generous: the machine may be busy; a test waits on a condition, never on time. */
    static final int READ_TIMEOUT_MILLIS = 30_000;

    private Socket socket;
    private InputStream in;
    private OutputStream out;
    final String greeting;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        this.greeting = reply();
    }

    static Wire connect(InetSocketAddress server, String from) throws IOException {
        return new Wire(new Socket(server.getAddress(), server.getPort(), InetAddress.getByName(from), 0));
    }

    /** Starts TLS on the open socket, trusting any certificate; returns the protocol version. */
    String startTls() throws Exception {
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAnyCertificate()}, new SecureRandom());
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.setSoTimeout(READ_TIMEOUT_MILLIS);
        ssl.startHandshake();
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        return ssl.getSession().getProtocol();
    }

    /** Sends raw bytes as they are. */
    Wire raw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    Wire raw(String text) throws IOException {
        return raw(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a line with CRLF, without waiting for the reply. */
    Wire send(String line) throws IOException {
        return raw(line + "\r\n");
    }

    /** Sends a line with CRLF and returns its reply. */
    String command(String line) throws IOException {
        send(line);
        return reply();
    }

    /** Sends a line; its reply must start with {@code expected} (the whole reply, if it has a space at 3). */
    void expect(String line, String expected) throws IOException {
        String reply = command(line);
        if (expected.length() > 4) {
            assertThat(reply).as("reply to %s", abbreviate(line)).isEqualTo(expected);
        } else {
            assertThat(reply).as("reply to %s", abbreviate(line)).startsWith(expected);
        }
    }

    /** The next reply, all lines; "&lt;closed&gt;" if the server closed first. */
    String reply() throws IOException {
        StringBuilder all = new StringBuilder();
        while (true) {
            String line = line();
            if (line == null) {
                return all.length() == 0 ? "<closed>" : all + "\n<closed>";
            }
            if (all.length() > 0) {
                all.append('\n');
            }
            all.append(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return all.toString();
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        try {
            while ((c = in.read()) != -1) {
                if (c == '\n') {
                    byte[] b = line.toByteArray();
                    if (b.length == 0 || b[b.length - 1] != '\r') {
                        throw new AssertionError("reply line without CRLF: " + line);
                    }
                    return new String(b, 0, b.length - 1, StandardCharsets.UTF_8);
                }
                line.write(c);
            }
        } catch (SocketException e) {
            return null; // reset by the server: closed
        }
        return null;
    }

    /** True when the server closed the connection without sending anything more. */
    boolean closed() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    /**
     * Writes {@code bytes} while the server may close on us part way (it refuses and closes after
     * an overlong input); true if everything was written.
     */
    boolean tryRaw(byte[] bytes) {
        try {
            raw(bytes);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The test certificate is self-signed; what is tested is the server's protocol handling. */
    private static final class TrustAnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
