package dev.qflux.pop3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A POP3 client that shows the bytes: one command, one reply line, as a transcript reads. */
final class RawPop3Client implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    RawPop3Client(InetSocketAddress server) throws IOException {
        socket = new Socket(server.getAddress(), server.getPort());
        socket.setSoTimeout(30_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** TLS over this connection (after STLS), trusting any certificate: the test made it. */
    void startTls() throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            @Override
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.getSocketFactory().createSocket(
                socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
        s.startHandshake();
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
    }

    /** How long a read waits before failing (30 s unless changed). */
    void readTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /** Sends raw bytes (no CRLF added). */
    void write(String raw) throws IOException {
        out.write(raw.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Sends a command line and returns the reply's first line. */
    String send(String command) throws IOException {
        write(command + "\r\n");
        return line();
    }

    /** The next line without CRLF, or {@code <closed>}. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return "<closed>";
    }

    /** The lines of a multi-line response up to (not with) the "." line, still byte-stuffed. */
    List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (String l = line(); !l.equals("."); l = line()) {
            if (l.equals("<closed>")) {
                throw new IOException("closed inside a multi-line response: " + lines);
            }
            lines.add(l);
        }
        return lines;
    }

    /** The raw bytes of a multi-line body through its final CRLF.CRLF, terminator included. */
    byte[] body() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        long last5 = 0; // the last five bytes read, one per byte of the long
        int c;
        while ((c = in.read()) != -1) {
            b.write(c);
            last5 = ((last5 << 8) | c) & 0xFF_FFFF_FFFFL;
            boolean end = (last5 & 0xFF_FFFFL) == 0x2E0D0AL
                    && (b.size() == 3 || (b.size() >= 5 && (last5 >>> 24) == 0x0D0AL));
            if (end) {
                return b.toByteArray();
            }
        }
        throw new IOException("closed inside a body: " + b.size() + " bytes");
    }

    /** True when the server closes without sending anything more. */
    boolean closed() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
