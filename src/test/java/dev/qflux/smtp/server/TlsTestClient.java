package dev.qflux.smtp.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** A line-based SMTP client that can start TLS on its socket (trusting any certificate). */
final class TlsTestClient implements AutoCloseable {
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    private TlsTestClient(Socket socket) throws IOException {
        use(socket);
    }

    static TlsTestClient connect(InetSocketAddress server) throws IOException {
        Socket s = new Socket(server.getAddress(), server.getPort());
        s.setSoTimeout(30_000);
        return new TlsTestClient(s);
    }

    /** An smtps connection: TLS from the first byte. */
    static TlsTestClient connectTls(InetSocketAddress server) throws Exception {
        TlsTestClient c = connect(server);
        c.handshake();
        return c;
    }

    private void use(Socket s) throws IOException {
        socket = s;
        in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
        out = s.getOutputStream();
    }

    /** Sends raw text (CRLFs included by the caller). */
    void send(String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** The lines of the next (possibly multi-line) reply. */
    List<String> reply() throws IOException {
        List<String> lines = new ArrayList<>();
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed; read so far " + lines);
            }
            lines.add(line);
        } while (line.length() > 3 && line.charAt(3) == '-');
        return lines;
    }

    /** The last line of the next reply. */
    String line() throws IOException {
        List<String> r = reply();
        return r.get(r.size() - 1);
    }

    String command(String cmd) throws IOException {
        send(cmd + "\r\n");
        return line();
    }

    /** True once the server has closed the connection (end of stream or a reset). */
    boolean closedByServer() {
        try {
            return in.readLine() == null;
        } catch (IOException e) {
            return true;
        }
    }

    /** Starts TLS on the open socket; returns the negotiated protocol. */
    String handshake() throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(socket,
                socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        ssl.setUseClientMode(true);
        ssl.startHandshake();
        use(ssl);
        return ssl.getSession().getProtocol();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private static final class TrustAll implements X509TrustManager {
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
