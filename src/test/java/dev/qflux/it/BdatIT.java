package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CHUNKING (RFC 3030): BDAT chunks are taken by byte count, never by lines, so dots, lone
 * "CRLF.CRLF" sequences and chunk boundaries inside a line must all arrive unchanged. One chunk
 * reaches the server in three writes with silences between them (the server must not answer
 * before the chunk is complete, RFC 3030 section 2); a second transaction pipelines MAIL, RCPT and
 * two BDAT chunks in one write (RFC 3030 section 4.2). Both bodies are spooled byte for byte.
 */
class BdatIT {
    /** How long the server must stay silent while a chunk is incomplete. */
    private static final Duration QUIET = Duration.ofMillis(300);
    private static final String SENDER = "chunker@client.test";
    private static final String RECIPIENT = "bob@" + TestConf.ME;

    @TempDir
    Path dir;

    @Test
    void chunkedMessagesAreSpooledByteForByte() throws Exception {
        int port = FreePort.pick();
        TestConf.Paths conf = TestConf.in(dir).listen(port).write();
        byte[] first = message("<bdat.1@chunks.test>");
        byte[] second = message("<bdat.2@chunks.test>");
        String transcript;

        try (QfluxProcess qflux = QfluxProcess.start(conf)) {
            qflux.awaitListening(port);
            try (RawSmtpClient c = RawSmtpClient.connect(port)) {
                c.expectReply(220);
                RawSmtpClient.Reply ehlo = c.expect(250, "EHLO chunker.client.test");
                assertThat(ehlo.lines()).as(c.transcript()).contains("CHUNKING");

                sendSplitAcrossWrites(c, first);
                sendPipelined(c, second);
                c.expect(221, "QUIT");
                transcript = c.transcript();
            }
            qflux.stop();
        }

        List<SpooledMessage> spool = SpoolInspector.scan(conf.queueDir());
        assertThat(spool).as(transcript).hasSize(2);
        for (byte[] sent : List.of(first, second)) {
            String id = new String(sent, StandardCharsets.US_ASCII).lines().findFirst().orElseThrow()
                    .substring("Message-ID: ".length());
            SpooledMessage m = SpoolInspector.byMessageId(spool, id);
            assertThat(m.sender()).isEqualTo(SENDER);
            assertThat(m.recipients()).containsExactly(RECIPIENT);
            assertThat(m.firstHeaderField()).startsWith("Received: from ");
            assertThat(m.bodyAfterFirstHeader()).as("%s spooled byte for byte", id).isEqualTo(sent);
        }
    }

    /** Chunk 1 whole; chunk 2 in three writes (command with a few bytes, up to a CR, the rest); LAST empty. */
    private static void sendSplitAcrossWrites(RawSmtpClient c, byte[] message) throws Exception {
        c.expect(250, "MAIL FROM:<" + SENDER + ">");
        c.expect(250, "RCPT TO:<" + RECIPIENT + ">");
        int cut = 100;
        c.write(concat(bdat(cut, false), Arrays.copyOfRange(message, 0, cut)));
        c.expectReply(250);

        byte[] rest = Arrays.copyOfRange(message, cut, message.length);
        int crlf = indexOfCrlfDotCrlf(rest);
        int a = 7;
        int b = crlf + 1; // ends between the CR and the LF of "\r\n.\r\n"
        c.write(concat(bdat(rest.length, false), Arrays.copyOfRange(rest, 0, a)));
        c.assertNoReplyWithin(QUIET);
        c.write(Arrays.copyOfRange(rest, a, b));
        c.assertNoReplyWithin(QUIET);
        c.write(Arrays.copyOfRange(rest, b, rest.length));
        c.expectReply(250);

        c.write(bdat(0, true));
        RawSmtpClient.Reply done = c.expectReply(250);
        assertThat(done.text()).startsWith("250 2.");
    }

    /** MAIL, RCPT and two chunks (the second LAST) in a single write; four replies follow. */
    private static void sendPipelined(RawSmtpClient c, byte[] message) throws Exception {
        int cut = message.length / 3;
        byte[] all = concat(
                ("MAIL FROM:<" + SENDER + ">\r\nRCPT TO:<" + RECIPIENT + ">\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                bdat(cut, false), Arrays.copyOfRange(message, 0, cut),
                bdat(message.length - cut, true), Arrays.copyOfRange(message, cut, message.length));
        c.write(all);
        for (int reply = 0; reply < 4; reply++) {
            c.expectReply(250);
        }
    }

    /** A message whose body holds what DATA would treat specially: dots and a lone "CRLF.CRLF". */
    private static byte[] message(String messageId) {
        String text = "Message-ID: " + messageId + "\r\n"
                + "Subject: chunked\r\n"
                + "\r\n"
                + "first line of the body, long enough that chunk one ends in the middle of it\r\n"
                + ".a line starting with a dot, sent without stuffing\r\n"
                + "a lone dot line follows\r\n"
                + ".\r\n"
                + "and the message goes on after it\r\n"
                + "..two dots\r\n"
                + "last line\r\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] bdat(int size, boolean last) {
        return ("BDAT " + size + (last ? " LAST" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOfCrlfDotCrlf(byte[] data) {
        String s = new String(data, StandardCharsets.US_ASCII);
        int i = s.indexOf("\r\n.\r\n");
        if (i < 0) {
            throw new IllegalStateException("test message lacks a lone dot line");
        }
        return i;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
