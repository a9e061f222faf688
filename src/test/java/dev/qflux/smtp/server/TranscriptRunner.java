package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Plays a {@code C:}/{@code S:} transcript against a server over a real socket. Consecutive
 * client lines go out in one write (pipelined); then each {@code S:} line must be the next reply
 * line ({@code *} at the end matches any rest). {@code R:} sends raw bytes with {@code \r},
 * {@code \n}, {@code \xNN} escapes and no CRLF added; {@code closed} expects end of stream;
 * {@code queued: N} checks the spool.
 */
final class TranscriptRunner {
    interface QueueCount {
        int get() throws IOException;
    }

    private TranscriptRunner() {
    }

    static void run(String name, List<String> script, InetSocketAddress server, QueueCount queued)
            throws IOException {
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            ByteArrayOutputStream pending = new ByteArrayOutputStream();
            int lineNo = 0;
            for (String line : script) {
                lineNo++;
                String where = name + ":" + lineNo + ": ";
                if (line.isBlank() || line.startsWith("#") || line.startsWith("@")) {
                    continue;
                }
                if (line.startsWith("C: ") || line.equals("C:")) {
                    pending.writeBytes((line.substring(Math.min(3, line.length())) + "\r\n")
                            .getBytes(StandardCharsets.UTF_8));
                    continue;
                }
                if (line.startsWith("R: ")) {
                    pending.writeBytes(unescape(line.substring(3)));
                    continue;
                }
                if (pending.size() > 0) {
                    out.write(pending.toByteArray());
                    out.flush();
                    pending.reset();
                }
                if (line.startsWith("S: ")) {
                    String expected = line.substring(3);
                    String actual = readLine(in);
                    if (expected.endsWith("*")) {
                        assertThat(actual).as(where + "reply").startsWith(
                                expected.substring(0, expected.length() - 1));
                    } else {
                        assertThat(actual).as(where + "reply").isEqualTo(expected);
                    }
                } else if (line.equals("closed")) {
                    assertThat(readToEnd(in)).as(where + "connection should be closed").isTrue();
                } else if (line.startsWith("queued: ")) {
                    assertThat(queued.get()).as(where + "messages in the spool")
                            .isEqualTo(Integer.parseInt(line.substring(8).strip()));
                } else {
                    throw new IllegalArgumentException(where + "unknown transcript line: " + line);
                }
            }
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, n, StandardCharsets.UTF_8);
            }
            line.write(c);
        }
        return "<closed" + (line.size() > 0 ? " after " + line : "") + ">";
    }

    /** True when the server closes (EOF or reset) without sending anything more. */
    private static boolean readToEnd(InputStream in) throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // connection reset: closed
        }
    }

    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'r' -> out.write('\r');
                    case 'n' -> out.write('\n');
                    case '\\' -> out.write('\\');
                    case 'x' -> {
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    default -> throw new IllegalArgumentException("bad escape \\" + n);
                }
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }
}
