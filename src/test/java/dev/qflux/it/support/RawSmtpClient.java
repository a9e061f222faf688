package dev.qflux.it.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking SMTP client on a plain socket that writes exactly the bytes a test gives it and keeps
 * a transcript ({@code C:}/{@code S:} lines) for assertion messages. For what real clients cannot
 * do on purpose: BDAT chunks split across writes, pipelined chunks, PROXY headers.
 */
public final class RawSmtpClient implements AutoCloseable {
    /** A reply can take this long when the spool is busy flushing; generous for 2 loaded cores. */
    public static final Duration REPLY_TIMEOUT = Duration.ofSeconds(60);
    /** RFC 5321 4.5.3.1.5: a reply line is at most 512 octets; allow slack before calling it garbage. */
    private static final int MAX_REPLY_LINE = 4096;

    /** One SMTP reply: its code and its lines without the code prefix. */
    public record Reply(int code, List<String> lines) {
        public boolean isPositive() {
            return code >= 200 && code < 400;
        }

        public String text() {
            return code + " " + String.join(" / ", lines);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final StringBuilder transcript = new StringBuilder();

    private RawSmtpClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
    }

    /** Connects to 127.0.0.1:port from an ephemeral loopback address. */
    public static RawSmtpClient connect(int port) {
        return connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null);
    }

    /** Connects to the server, binding the local end to the given address (null = any). */
    public static RawSmtpClient connect(InetSocketAddress server, InetAddress localAddress) {
        try {
            Socket s = new Socket();
            if (localAddress != null) {
                s.bind(new InetSocketAddress(localAddress, 0));
            }
            s.connect(server, (int) REPLY_TIMEOUT.toMillis());
            return new RawSmtpClient(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to " + server, e);
        }
    }

    /** Sends a command line (CRLF appended) and reads its reply. */
    public Reply command(String line) throws IOException {
        send(line);
        return readReply();
    }

    /** Sends a command and fails unless the reply has the expected code. */
    public Reply expect(int code, String line) throws IOException {
        Reply r = command(line);
        if (r.code() != code) {
            throw new AssertionError("expected " + code + " to " + line + "\n" + transcript());
        }
        return r;
    }

    /** Reads a reply and fails unless it has the expected code. */
    public Reply expectReply(int code) throws IOException {
        Reply r = readReply();
        if (r.code() != code) {
            throw new AssertionError("expected " + code + "\n" + transcript());
        }
        return r;
    }

    /**
     * MAIL, RCPT, DATA and the message (CRLF lines, dot-stuffed here, RFC 5321 4.5.2). Returns the
     * first refusal, or the reply to the final dot; after a refusal the caller decides what next.
     */
    public Reply sendMail(String sender, String recipient, String message) throws IOException {
        Reply r = command("MAIL FROM:<" + sender + ">");
        if (!r.isPositive()) {
            return r;
        }
        r = command("RCPT TO:<" + recipient + ">");
        if (!r.isPositive()) {
            return r;
        }
        r = command("DATA");
        if (r.code() != 354) {
            return r;
        }
        write(dotStuffed(message));
        return readReply();
    }

    /** The message with leading dots doubled and the terminating ".CRLF" appended. */
    public static byte[] dotStuffed(String message) {
        if (!message.endsWith("\r\n")) {
            throw new IllegalArgumentException("message must end with CRLF");
        }
        String stuffed = (message.startsWith(".") ? "." : "") + message.replace("\r\n.", "\r\n..");
        return (stuffed + ".\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Writes one line with CRLF. */
    public void send(String line) throws IOException {
        transcript.append("C: ").append(line).append('\n');
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Writes raw bytes as they are and flushes them onto the wire. */
    public void write(byte[] bytes) throws IOException {
        transcript.append("C: (").append(bytes.length).append(" bytes)\n");
        out.write(bytes);
        out.flush();
    }

    /** Reads one (possibly multi-line) reply; EOFException when the server closed. */
    public Reply readReply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = readLine();
            transcript.append("S: ").append(line).append('\n');
            if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                throw new IOException("malformed reply line: " + line);
            }
            int code = Integer.parseInt(line.substring(0, 3));
            boolean more = line.length() > 3 && line.charAt(3) == '-';
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (!more) {
                return new Reply(code, List.copyOf(lines));
            }
        }
    }

    /**
     * Asserts the server stays silent for the given time, e.g. while a BDAT chunk is incomplete.
     * The wait is the read timeout of a read that must not return.
     */
    public void assertNoReplyWithin(Duration quiet) throws IOException {
        socket.setSoTimeout((int) quiet.toMillis());
        try {
            int b = in.read();
            throw new AssertionError("server sent " + (b < 0 ? "EOF" : "a reply")
                    + " before the command was complete\n" + transcript());
        } catch (SocketTimeoutException expected) {
            // silence is what the protocol requires here
        } finally {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
        }
    }

    /** True when the server has closed the connection (reads EOF within the timeout). */
    public boolean isClosedByServer(Duration bound) throws IOException {
        socket.setSoTimeout((int) bound.toMillis());
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException reset) {
            return true;
        } finally {
            socket.setSoTimeout((int) REPLY_TIMEOUT.toMillis());
        }
    }

    public String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket cannot fail in a way that matters
        }
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int b = in.read();
            if (b < 0) {
                transcript.append("S: (closed)\n");
                throw new EOFException("server closed the connection\n" + transcript());
            }
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            if (line.size() >= MAX_REPLY_LINE) {
                throw new IOException("reply line longer than " + MAX_REPLY_LINE + " bytes");
            }
            line.write(b);
        }
    }
}
