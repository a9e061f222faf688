package dev.qflux.bounce;

import static dev.qflux.bounce.BounceFixtures.BIRTH;
import static dev.qflux.bounce.BounceFixtures.CLOCK;
import static dev.qflux.bounce.BounceFixtures.ME;
import static dev.qflux.bounce.BounceFixtures.ORIGINAL;
import static dev.qflux.bounce.BounceFixtures.TWO_FAILED;
import static dev.qflux.bounce.BounceFixtures.original;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real reader of bounces: Python's email package parses what the Bouncer writes. The script
 * prints JSON; the assertions below pick it apart with patterns, as the project has no JSON
 * library and the values asserted on are plain.
 */
class BounceParsesInPythonTest {
    /** Python starts in well under a second; this bound is for a machine under heavy load. */
    private static final long PYTHON_TIMEOUT_SECONDS = 60;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsPython() {
        assumeTrue(python3Available(), "python3 is not installed");
    }

    @Test
    void pythonReadsTheReportItsStatusesAndTheReturnedMessage() throws Exception {
        String json = parse(bounce(BounceFixtures.bouncer(), ORIGINAL));

        assertThat(field(json, "content_type")).isEqualTo("multipart/report");
        assertThat(field(json, "report_type")).isEqualTo("delivery-status");
        assertThat(field(json, "subject")).isEqualTo("failure notice");
        assertThat(field(json, "from")).isEqualTo("MAILER-DAEMON@" + ME);
        assertThat(field(json, "to")).isEqualTo("alice@example.org");
        assertThat(field(json, "auto_submitted")).isEqualTo("auto-replied");
        assertThat(json).doesNotContainPattern("\"defects\": \\[\"");
        assertThat(allFields(json, "content_type"))
                .containsExactly("multipart/report", "text/plain", "message/delivery-status", "message/rfc822");
        assertThat(field(json, "text")).startsWith("Hi. This is the qflux program at " + ME + ".\\n");
        assertThat(field(json, "Reporting-MTA")).isEqualTo("dns; " + ME);
        assertThat(field(json, "Arrival-Date")).isEqualTo("Wed, 18 Nov 2026 09:05:07 +0000");
        assertThat(allFields(json, "Final-Recipient"))
                .containsExactly("rfc822; god@heaven.af.mil", "rfc822; bob@example.net");
        assertThat(allFields(json, "Action")).containsExactly("failed", "failed");
        assertThat(allFields(json, "Status")).containsExactly("5.1.2", "5.1.1");
        assertThat(allFields(json, "Remote-MTA")).containsExactly("dns; mx1.example.net");
        assertThat(allFields(json, "Diagnostic-Code")).containsExactly("smtp; 550 5.1.1 <bob@example.net>: no such user");
        // The returned copy: subjects come in order message, then the attached original.
        assertThat(allFields(json, "subject")).containsExactly("failure notice", "are you there?");
        assertThat(field(json, "return_path")).isEqualTo("<alice@example.org>");
        assertThat(field(json, "body")).isEqualTo("Just checking.\\n");
    }

    @Test
    void pythonReadsAHeaderOnlyReturnAndALongFoldedDiagnostic() throws Exception {
        Bouncer small = new Bouncer(new BounceSettings(ME, "MAILER-DAEMON", ME, "postmaster", ME, 100), CLOCK);
        String reply = "550 5.7.1 " + "refused by local policy ".repeat(20).strip();
        FailedRecipient failed = new FailedRecipient("bob@example.net", "Remote host said: " + reply + "/", "mx1.example.net");
        String json = parse(bounce(small, ORIGINAL, List.of(failed)));

        assertThat(allFields(json, "content_type"))
                .containsExactly("multipart/report", "text/plain", "message/delivery-status", "text/rfc822-headers");
        assertThat(allFields(json, "subject")).containsExactly("failure notice", "are you there?");
        // Unfolded by the reader, the folded Diagnostic-Code is the reply again.
        assertThat(field(json, "Diagnostic-Code")).isEqualTo("smtp; " + reply);
        assertThat(json).doesNotContainPattern("\"defects\": \\[\"");
    }

    @Test
    void pythonReadsADoubleBounceWithTheOriginalBounceInside() throws Exception {
        String firstBounce = "From: MAILER-DAEMON@example.org\r\nTo: alice@example.org\r\n"
                + "Subject: failure notice\r\n\r\nHi. This is the qmail-send program at example.org.\r\n";
        String json = parse(bounce(BounceFixtures.bouncer(), "", firstBounce, TWO_FAILED));

        assertThat(field(json, "to")).isEqualTo("postmaster@" + ME);
        assertThat(field(json, "text")).contains("but the bounce bounced!");
        assertThat(allFields(json, "content_type"))
                .containsExactly("multipart/report", "text/plain", "message/delivery-status", "message/rfc822");
        assertThat(allFields(json, "subject")).containsExactly("failure notice", "failure notice");
        assertThat(field(json, "return_path")).isEqualTo("<>");
    }

    private static byte[] bounce(Bouncer bouncer, String originalText) {
        return bounce(bouncer, originalText, TWO_FAILED);
    }

    private static byte[] bounce(Bouncer bouncer, String originalText, List<FailedRecipient> failed) {
        return bounce(bouncer, "alice@example.org", originalText, failed);
    }

    private static byte[] bounce(Bouncer bouncer, String sender, String originalText, List<FailedRecipient> failed) {
        ByteBuf original = original(originalText);
        try {
            BounceDecision decision = bouncer.decide(sender, 9, BIRTH, failed, original, UnpooledByteBufAllocator.DEFAULT);
            ByteBuf message;
            if (decision instanceof BounceDecision.Bounce b) {
                message = b.message();
            } else if (decision instanceof BounceDecision.DoubleBounce db) {
                message = db.message();
            } else {
                throw new AssertionError("not sent: " + decision);
            }
            try {
                byte[] bytes = new byte[message.readableBytes()];
                message.getBytes(message.readerIndex(), bytes);
                return bytes;
            } finally {
                message.release();
            }
        } finally {
            original.release();
        }
    }

    private String parse(byte[] message) throws IOException, InterruptedException {
        Path eml = dir.resolve("bounce.eml");
        Files.write(eml, message);
        Path script = dir.resolve("read_bounce.py");
        try (InputStream in = BounceParsesInPythonTest.class.getResourceAsStream("read_bounce.py")) {
            Files.copy(in, script);
        }
        Path stdout = dir.resolve("out.json");
        Path stderr = dir.resolve("err.txt");
        Process p = new ProcessBuilder("python3", script.toString(), eml.toString())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("python3 did not finish in " + PYTHON_TIMEOUT_SECONDS + " s");
        }
        assertThat(p.exitValue()).as("python3 failed: %s", Files.readString(stderr)).isZero();
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }

    /** The first string value of {@code "name": "..."} in the JSON. */
    private static String field(String json, String name) {
        List<String> all = allFields(json, name);
        assertThat(all).as("field %s in %s", name, json).isNotEmpty();
        return all.get(0);
    }

    private static List<String> allFields(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\": \"((?:[^\"\\\\]|\\\\.)*)\"").matcher(json);
        List<String> values = new java.util.ArrayList<>();
        while (m.find()) {
            values.add(m.group(1).replace("\\\"", "\""));
        }
        return values;
    }

    private static boolean python3Available() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(PYTHON_TIMEOUT_SECONDS, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
