package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Mailboxes;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.TestConf;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile local parts through the real daemon (docs/local-delivery.md, "Hostile addresses"): what
 * RFC 5321's grammar forbids is refused with 501 before any lookup; a well-formed address no user
 * or alias file owns is refused with 550 5.1.1; a well-formed extension of a real user is taken
 * and delivered by that user's {@code .qmail-default}, whose program gets the extension only in
 * EXT: shell syntax in the address runs nothing, and no file outside the home is created.
 */
class HostileAddressIT {
    private static final int NOBODY = Mailboxes.NOBODY;
    private static final Duration BOUND = Duration.ofSeconds(120);
    private static final String CANARY = "canary\n";

    @TempDir
    Path dir;

    @Test
    void hostileRecipientsAreRefusedOrDeliveredSafely() throws Exception {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("needs root to act as nobody")
                .isEqualTo(0);
        Path home = Files.createDirectories(dir.resolve("home/joe"));
        Files.writeString(home.resolve(".qmail-default"), "|printf 'default:%s\\n' \"$EXT\" >> exts.log\n");
        Files.writeString(home.resolve(".qmail-foo"), "|printf 'foo:%s\\n' \"$EXT\" >> exts.log\n");
        Path canary = Files.writeString(dir.resolve("home/canary"), CANARY);
        Files.setLastModifiedTime(canary, FileTime.fromMillis(1_000_000_000_000L));
        Mailboxes.chownToNobody(dir.resolve("home"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir.resolve("qflux")).withoutAliasDefault().control("concurrencylocal", "4");
        TestConf.Paths paths = conf.listen(port).write();
        Path alias = Files.createDirectories(paths.confDir().resolve("alias"));
        Files.setAttribute(alias, "unix:uid", NOBODY);
        Files.writeString(Files.createDirectories(paths.confDir().resolve("users")).resolve("assign"),
                "+joe-:joe:" + NOBODY + ":" + NOBODY + ":" + home + ":-::\n.\n");
        Set<String> before = tree(dir.resolve("home"));

        // RCPT argument -> the reply's code and enhanced status
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("<../x@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<.@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<a..b@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<-;cmd;@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<$(touch pwned)@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<joe-a\0b@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<joe-" + "y".repeat(1000) + "@" + TestConf.ME + ">", "501 5.1.3");
        refused.put("<a/b@" + TestConf.ME + ">", "550 5.1.1");
        refused.put("<%2e%2e@" + TestConf.ME + ">", "550 5.1.1");
        refused.put("<%2e%2e%2f%2e%2e%2fcanary@" + TestConf.ME + ">", "550 5.1.1");
        refused.put("<\"../x\"@" + TestConf.ME + ">", "550 5.1.1");
        refused.put("<\"-;touch pwned;\"@" + TestConf.ME + ">", "550 5.1.1");
        refused.put("<\".\"@" + TestConf.ME + ">", "550 5.1.1");
        refused.put("<ROOT@" + TestConf.ME + ">", "550 5.1.1");
        // well-formed extensions of joe: taken, each handled by one of joe's files
        Map<String, String> taken = new LinkedHashMap<>();
        taken.put("joe-a/b", "default:a/b");
        taken.put("joe-%2e%2e", "default:%2e%2e");
        taken.put("joe-%2e%2e%2f%2e%2e%2fcanary", "default:%2e%2e%2f%2e%2e%2fcanary");
        taken.put("joe-`touch${IFS}pwned`", "default:`touch${ifs}pwned`");
        taken.put("joe-|touch${IFS}pwned", "default:|touch${ifs}pwned");
        taken.put("JOE-FOO", "foo:foo");
        taken.put("joe-x.y", "default:x.y");
        taken.put("joe-" + "z".repeat(60), "default:" + "z".repeat(60));

        List<String> transcript = new ArrayList<>();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            try (RawSmtpClient smtp = RawSmtpClient.connect(port)) {
                smtp.expectReply(220);
                smtp.expect(250, "EHLO client.test");
                smtp.expect(250, "MAIL FROM:<ann@client.test>");
                for (Map.Entry<String, String> e : refused.entrySet()) {
                    RawSmtpClient.Reply r = smtp.command("RCPT TO:" + e.getKey());
                    transcript.add(e.getKey() + " -> " + r.code() + " " + r.text());
                }
                for (String local : taken.keySet()) {
                    RawSmtpClient.Reply r = smtp.command("RCPT TO:<" + local + "@" + TestConf.ME + ">");
                    transcript.add(local + " -> " + r.code() + " " + r.text());
                }
                smtp.expect(354, "DATA");
                smtp.write(RawSmtpClient.dotStuffed("Subject: hostile\r\n\r\nbody\r\n"));
                smtp.expectReply(250);
                smtp.expect(221, "QUIT");
            }
            Path log = home.resolve("exts.log");
            qflux.awaitCondition(BOUND, () -> lines(log) == taken.size() && qflux.qstat() == 0, "deliveries to joe");
            qflux.stop();
        }

        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, String> e : refused.entrySet()) {
            expected.add(e.getKey() + " -> " + e.getValue());
        }
        for (String local : taken.keySet()) {
            expected.add(local + " -> 250 2.1.5");
        }
        List<String> got = transcript.stream().map(HostileAddressIT::codes).toList();
        assertThat(got).containsExactlyElementsOf(expected);
        assertThat(Files.readAllLines(home.resolve("exts.log"))).containsExactlyInAnyOrderElementsOf(taken.values());
        assertThat(Files.readString(canary)).isEqualTo(CANARY);
        assertThat(Files.getLastModifiedTime(canary)).isEqualTo(FileTime.fromMillis(1_000_000_000_000L));
        Set<String> added = new TreeSet<>(tree(dir.resolve("home")));
        added.removeAll(before);
        assertThat(added).containsExactly("joe/exts.log");
        try (Stream<Path> all = Files.walk(dir)) {
            assertThat(all.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("pwned"));
        }
    }

    /** "RCPT-arg -> 550 5.1.1 text" cut to the argument, the code and the enhanced status. */
    private static String codes(String line) {
        String[] parts = line.split(" -> ", 2);
        String[] words = parts[1].split(" ");
        return parts[0] + " -> " + words[0] + " " + words[2];
    }

    private static long lines(Path p) {
        try {
            return Files.exists(p) ? Files.readAllLines(p).size() : 0;
        } catch (IOException e) {
            return -1;
        }
    }

    private static Set<String> tree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            Set<String> names = new TreeSet<>();
            all.forEach(p -> names.add(root.relativize(p).toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
