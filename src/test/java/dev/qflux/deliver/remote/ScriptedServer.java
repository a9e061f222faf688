package dev.qflux.deliver.remote;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A misbehaving SMTP server on a plain socket and its own thread: each accepted connection runs
 * the next script, in order. A script's failed expectation is recorded, not thrown at the
 * client, and the test checks {@link #errors()}.
 */
final class ScriptedServer implements AutoCloseable {
    /** Bounds every read, so a test whose client went quiet ends instead of hanging. */
    static final int READ_TIMEOUT_MS = 30_000;

    interface Script {
        void run(Peer peer) throws Exception;
    }

    private final ServerSocket socket;
    private final Thread thread;
    private final List<String> errors = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    ScriptedServer(Script... scripts) throws IOException {
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> serve(scripts), "scripted-smtp-server");
        thread.setDaemon(true);
        thread.start();
    }

    InetSocketAddress address() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), socket.getLocalPort());
    }

    RemoteTarget.Host host(String name) {
        return new RemoteTarget.Host(name, address());
    }

    List<String> errors() {
        return errors;
    }

    int accepted() {
        return accepted.get();
    }

    /** Waits (bounded) until every script has run to its end. */
    void awaitScripts() throws InterruptedException {
        thread.join(60_000);
    }

    private void serve(Script[] scripts) {
        for (Script script : scripts) {
            try (Socket client = socket.accept()) {
                accepted.incrementAndGet();
                client.setSoTimeout(READ_TIMEOUT_MS);
                Peer peer = new Peer(client);
                script.run(peer);
                peer.closeQuietly();
            } catch (Exception | AssertionError e) {
                if (!socket.isClosed()) {
                    errors.add(e.toString());
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** One connection, seen from the server. */
    static final class Peer {
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Peer(Socket socket) throws IOException {
            use(socket);
        }

        private void use(Socket s) throws IOException {
            socket = s;
            in = new BufferedInputStream(s.getInputStream());
            out = s.getOutputStream();
        }

        void send(String... lines) throws IOException {
            StringBuilder text = new StringBuilder();
            for (String line : lines) {
                text.append(line).append("\r\n");
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** One command line without its CRLF; null at end of input. */
        String line() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != '\n') {
                if (b < 0) {
                    return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
            String text = line.toString(StandardCharsets.UTF_8);
            if (!text.endsWith("\r")) {
                throw new AssertionError("line without CRLF: " + text);
            }
            return text.substring(0, text.length() - 1);
        }

        /** Reads a line and checks that it starts with {@code prefix}; returns it. */
        String expect(String prefix) throws IOException {
            String line = line();
            if (line == null || !line.startsWith(prefix)) {
                throw new AssertionError("expected " + prefix + " but got " + line);
            }
            return line;
        }

        /** The DATA content exactly as sent, up to and without the terminating ".CRLF". */
        byte[] data() throws IOException {
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            while (true) {
                String line = line();
                if (line == null) {
                    throw new AssertionError("connection closed in DATA");
                }
                if (line.equals(".")) {
                    return content.toByteArray();
                }
                content.writeBytes((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            }
        }

        /**
         * Greets, takes MAIL and one RCPT with 250 each (one command at a time), answers DATA
         * with 354 and reads the content; the caller answers it (or does not).
         */
        byte[] upToContent() throws IOException {
            hello();
            expect("MAIL");
            send("250 ok");
            expect("RCPT");
            send("250 ok");
            expect("DATA");
            send("354 go");
            return data();
        }

        /** Greets and answers EHLO with these keywords. */
        void hello(String... keywords) throws IOException {
            send("220 scripted.test ESMTP");
            expect("EHLO ");
            String[] lines = new String[keywords.length + 1];
            lines[0] = (keywords.length == 0 ? "250 " : "250-") + "scripted.test";
            for (int i = 0; i < keywords.length; i++) {
                lines[i + 1] = (i == keywords.length - 1 ? "250 " : "250-") + keywords[i];
            }
            send(lines);
        }

        /** The negotiated protocol, once TLS is on. */
        String tlsProtocol() {
            return ((SSLSocket) socket).getSession().getProtocol();
        }

        /** Becomes the TLS server side of this connection. */
        void startTls(SSLContext context) throws IOException {
            SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(
                    socket, socket.getInetAddress().getHostAddress(), socket.getPort(), true);
            tls.setUseClientMode(false);
            tls.startHandshake();
            use(tls);
        }

        /**
         * Answers RSET and QUIT as a well-behaved server would, until the client quits or
         * closes (bounded by the read timeout); any other command is an error.
         */
        void drain() throws IOException {
            try {
                String line;
                while ((line = line()) != null) {
                    if (line.equals("RSET")) {
                        send("250 ok");
                    } else if (line.equals("QUIT")) {
                        send("221 bye");
                        return;
                    } else {
                        throw new AssertionError("unexpected after the script: " + line);
                    }
                }
            } catch (java.net.SocketException e) {
                // the client closed the connection
            }
        }

        /** Reads and discards until the client closes (bounded by the read timeout). */
        void ignoreRest() {
            try {
                while (in.read() >= 0) {
                    // discard
                }
            } catch (IOException e) {
                // closed or timed out: either way the client is gone
            }
        }

        void closeQuietly() {
            try {
                socket.close();
            } catch (IOException e) {
                // already closed
            }
        }
    }
}
