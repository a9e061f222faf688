package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.Mailboxes;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.Sendmail;
import dev.qflux.it.support.SmtpSink;
import dev.qflux.it.support.TestConf;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sendmail -t < message} as programs run it: from a shell ({@code sh -c}) and from
 * Python's {@code subprocess.run}, with the daemon running. Each message reaches a local Maildir
 * (read back by Python's mailbox) and a remote host (smtp-sink behind smtproutes). A syntactically
 * bad recipient exits 67 (EX_NOUSER, docs/injection.md) and queues nothing; with the daemon
 * stopped inject still exits 0, and the message is delivered once the daemon is back.
 */
class SendmailIT {
    private static final int NOBODY = Mailboxes.NOBODY;
    private static final Duration BOUND = Duration.ofSeconds(120);
    /** docs/injection.md: an address that is not valid once completed. */
    private static final int EX_NOUSER = 67;
    private static final Pattern MESSAGE_ID = Pattern.compile("(?mi)^Message-ID: (<[^>\\r\\n]*>)\\r?$");
    private static final String PYTHON_SUBPROCESS = String.join("\n",
            "import subprocess, sys",
            "with open(sys.argv[2], 'rb') as f:",
            "    message = f.read()",
            "done = subprocess.run([sys.argv[1], '-t'] + sys.argv[3:], input=message, capture_output=True)",
            "sys.stderr.write(done.stderr.decode())",
            "sys.exit(done.returncode)");

    @TempDir
    Path dir;

    @Test
    void sendmailFromAShellAndFromPythonDeliversLocallyAndRemotely() throws Exception {
        assumeThat(Files.getAttribute(Path.of("/proc/self"), "unix:uid")).as("needs root to act as nobody")
                .isEqualTo(0);
        Path home = Files.createDirectories(dir.resolve("home/alice"));
        for (String sub : List.of("tmp", "new", "cur")) {
            Files.createDirectories(home.resolve("Maildir").resolve(sub));
        }
        Mailboxes.chownToNobody(dir.resolve("home"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        try (SmtpSink sink = SmtpSink.start(dir.resolve("sink"), FreePort.pick())) {
            int port = FreePort.pick();
            TestConf conf = TestConf.in(dir.resolve("qflux")).withoutAliasDefault()
                    .control("concurrencylocal", "2").control("concurrencyremote", "2")
                    .control("defaultdelivery", "./Maildir/").control("defaulthost", TestConf.ME)
                    .control("smtproutes", ":127.0.0.1:" + sink.port());
            TestConf.Paths paths = conf.listen(port).write();
            Files.createDirectories(paths.confDir().resolve("users"));
            Files.writeString(paths.confDir().resolve("users/assign"),
                    "=alice:alice:" + NOBODY + ":" + NOBODY + ":" + home + ":::\n.\n");

            List<String> sent = new ArrayList<>();
            try (QfluxProcess qflux = QfluxProcess.start(paths)) {
                qflux.awaitListening(port);

                ExternalProcess.Result shell = viaShell(paths, message("shell", "alice, ann@remote.test"));
                assertThat(shell.exitCode()).as(shell.describe()).isZero();
                sent.add("<shell@client.test>");
                ExternalProcess.Result python = viaPython(paths, message("python", "alice@" + TestConf.ME
                        + ", Ann <ann@remote.test>"));
                assertThat(python.exitCode()).as(python.describe()).isZero();
                sent.add("<python@client.test>");

                ExternalProcess.Result badShell = viaShell(paths, message("bad-shell", "alice"), "ann@@remote.test");
                assertThat(badShell.exitCode()).as(badShell.describe()).isEqualTo(EX_NOUSER);
                assertThat(badShell.stderr()).startsWith("qflux-inject: fatal: ");
                ExternalProcess.Result badPython = viaPython(paths, message("bad-python", "alice"), "bob..x@remote.test");
                assertThat(badPython.exitCode()).as(badPython.describe()).isEqualTo(EX_NOUSER);
                assertThat(badPython.stderr()).startsWith("qflux-inject: fatal: ");

                qflux.awaitCondition(BOUND, () -> Mailboxes.files(home.resolve("Maildir/new")) == 2 && sink.dumps().size() == 2
                        && qflux.qstat() == 0, "deliveries of the injected messages");
                qflux.stop();
            }

            // The daemon is down: inject still exits 0, the message waits in the maildrop.
            ExternalProcess.Result whileDown = viaPython(paths, message("while-down", "alice, ann@remote.test"));
            assertThat(whileDown.exitCode()).as(whileDown.describe()).isZero();
            assertThat(Sendmail.maildropFiles(paths.queueDir())).hasSize(1);
            sent.add("<while-down@client.test>");

            int restartPort = FreePort.pick();
            paths = conf.clearListeners().listen(restartPort).write();
            try (QfluxProcess again = QfluxProcess.start(paths)) {
                again.awaitListening(restartPort);
                TestConf.Paths p = paths;
                again.awaitCondition(BOUND, () -> Mailboxes.files(home.resolve("Maildir/new")) == 3 && sink.dumps().size() == 3
                        && again.qstat() == 0 && Sendmail.maildropFiles(p.queueDir()).isEmpty(),
                        "delivery of the message injected while the daemon was down");
                again.stop();
            }

            List<String> local = new ArrayList<>();
            for (String m : Mailboxes.readMaildir(home.resolve("Maildir"))) {
                local.add(messageId(m));
                assertThat(m).contains("Delivered-To: alice@" + TestConf.ME).contains("Return-Path: <joe@"
                        + TestConf.ME + ">").doesNotContain("bad-");
            }
            assertThat(local).containsExactlyInAnyOrderElementsOf(sent);
            List<String> remote = new ArrayList<>();
            for (Path dump : sink.dumps()) {
                String text = Files.readString(dump, StandardCharsets.ISO_8859_1);
                remote.add(messageId(text));
                assertThat(text).contains("hello from ");
            }
            assertThat(remote).containsExactlyInAnyOrderElementsOf(sent);
        }
    }

    private Path message(String name, String to) throws IOException {
        return Files.writeString(dir.resolve(name + ".eml"), "To: " + to + "\nSubject: " + name
                + "\nMessage-ID: <" + name + "@client.test>\n\nhello from " + name + "\n");
    }

    /** {@code sh -c 'bin/sendmail -t [extra] < file'}, as a cron job or a shell script runs it. */
    private static ExternalProcess.Result viaShell(TestConf.Paths paths, Path file, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "s=$1; f=$2; shift 2; \"$s\" -t \"$@\" < \"$f\"",
                "sh", sendmail(), file.toString()));
        cmd.addAll(List.of(extra));
        return ExternalProcess.run(BOUND, env(paths), cmd);
    }

    /** Python's {@code subprocess.run([sendmail, '-t'], input=message)}, as a web application does. */
    private static ExternalProcess.Result viaPython(TestConf.Paths paths, Path file, String... extra) {
        List<String> cmd = new ArrayList<>(List.of("python3", "-c", PYTHON_SUBPROCESS, sendmail(), file.toString()));
        cmd.addAll(List.of(extra));
        return ExternalProcess.run(BOUND, env(paths), cmd);
    }

    private static Map<String, String> env(TestConf.Paths paths) {
        return Map.of("QFLUX_CONF", paths.confDir().toString(), "JAVA_OPTS", "-Xmx256m", "USER", "joe");
    }

    private static String sendmail() {
        return Path.of("bin", "sendmail").toAbsolutePath().toString();
    }

    private static String messageId(String text) {
        Matcher m = MESSAGE_ID.matcher(text);
        assertThat(m.find()).as("a Message-ID in " + text).isTrue();
        return m.group(1);
    }

}
