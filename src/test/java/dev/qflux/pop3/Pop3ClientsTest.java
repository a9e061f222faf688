package dev.qflux.pop3;

import static dev.qflux.pop3.Pop3Fixture.PASSWORD;
import static dev.qflux.pop3.Pop3Fixture.USER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real POP3 clients fetch and delete mail that Python's mailbox module wrote: poplib (plain,
 * STLS, POP3_SSL), curl (pop3://, STLS, pop3s://) and fetchmail (plain and SSL).
 */
class Pop3ClientsTest {
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    Pop3Fixture pop;
    String python;

    @BeforeEach
    void start() throws Exception {
        python = Tools.require("python3");
        pop = Pop3Fixture.start(dir);
    }

    @AfterEach
    void stop() {
        pop.close();
    }

    private ExternalProcess.Result peer(String... args) throws Exception {
        Path script = Path.of(Pop3ClientsTest.class.getResource("pop3_peer.py").toURI());
        List<String> command = new ArrayList<>(List.of(python, script.toString()));
        command.addAll(List.of(args));
        ExternalProcess.Result r = ExternalProcess.run(RUN, command);
        assertThat(r.exitCode()).as(r.describe() + "\nserver log:\n" + pop.log()).isZero();
        return r;
    }

    /** Adds messages with Python's mailbox.Maildir; returns their keys (the UIDLs to expect). */
    private List<String> addMessages(int n) throws Exception {
        return strings(peer("add", pop.maildir.toString(), String.valueOf(n)).stdout());
    }

    private static List<String> strings(String json) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private String fetch(String mode, int port, boolean delete) throws Exception {
        List<String> args = new ArrayList<>(List.of("fetch", mode, String.valueOf(port), USER, PASSWORD));
        if (delete) {
            args.add("delete");
        }
        return peer(args.toArray(String[]::new)).stdout();
    }

    @Test
    void poplibFetchesOverPlainStlsAndImplicitTlsWithStableUidls() throws Exception {
        List<String> keys = addMessages(2);
        int plain = pop.plain().getPort();
        String first = fetch("plain", plain, false);
        assertThat(first).contains("\"uidl\": [\"" + keys.get(0) + "\", \"" + keys.get(1) + "\"]")
                .contains("Subject: message 0", "\\n.a line starting with a dot\\n..two dots\\n.\\nend")
                .contains("\"caps\": [\"AUTH-RESP-CODE\", \"IMPLEMENTATION\", \"PIPELINING\", \"RESP-CODES\","
                        + " \"STLS\", \"TOP\", \"UIDL\", \"USER\"]");
        // poplib counts the octets it received (un-stuffed, CRLF): they match LIST's sizes.
        Matcher sizes = Pattern.compile("\"list\": \\[(\\d+), (\\d+)\\]").matcher(first);
        assertThat(sizes.find()).isTrue();
        assertThat(first).contains("\"size\": " + sizes.group(1)).contains("\"size\": " + sizes.group(2));

        String stls = fetch("stls", plain, false);
        assertThat(strings(stls)).containsSubsequence(keys.get(0), keys.get(1));
        assertThat(stls).contains("\"uidl\": [\"" + keys.get(0) + "\", \"" + keys.get(1) + "\"]");

        String ssl = fetch("ssl", pop.implicitTls().getPort(), true);
        assertThat(ssl).contains("\"uidl\": [\"" + keys.get(0) + "\", \"" + keys.get(1) + "\"]")
                .contains("Subject: message 1", "\"top_lines\": 7"); // TOP 1 0: six header lines and the blank one
        assertThat(pop.messageFiles()).isEmpty();
        assertThat(fetch("plain", plain, false)).contains("\"stat\": [0, 0]");
        pop.awaitLog("retrieved 2 deleted 2");
    }

    private ExternalProcess.Result curl(String... args) {
        List<String> command = new ArrayList<>(List.of(Tools.require("curl"), "-sS", "--max-time", "30",
                "-u", USER + ":" + PASSWORD));
        command.addAll(List.of(args));
        ExternalProcess.Result r = ExternalProcess.run(RUN, command);
        assertThat(r.exitCode()).as(r.describe() + "\nserver log:\n" + pop.log()).isZero();
        return r;
    }

    @Test
    void curlListsRetrievesAndDeletesOverPop3AndPop3s() throws Exception {
        List<String> keys = addMessages(2);
        String base = "pop3://127.0.0.1:" + pop.plain().getPort();
        String tlsBase = "pop3s://127.0.0.1:" + pop.implicitTls().getPort();

        assertThat(curl(base + "/").stdout()).matches("(?s)1 \\d+\r\n2 \\d+\r\n");
        assertThat(curl(base + "/1").stdout()).contains("Subject: message 0", "\r\n..two dots\r\n");
        assertThat(curl("--ssl-reqd", "-k", base + "/2").stdout()).as("over STLS")
                .contains("Subject: message 1");
        assertThat(curl("-k", tlsBase + "/1").stdout()).contains("Subject: message 0");
        assertThat(curl("-k", "-X", "UIDL", tlsBase + "/").stdout())
                .isEqualTo("1 " + keys.get(0) + "\r\n2 " + keys.get(1) + "\r\n");

        curl("-k", "-X", "DELE", "-I", tlsBase + "/1");
        assertThat(pop.messageFiles()).hasSize(1).allMatch(f -> f.startsWith(keys.get(1) + ":"));
        curl("-X", "DELE", "-I", base + "/1");
        assertThat(pop.messageFiles()).isEmpty();
    }

    @Test
    void fetchmailFetchesAndDeletesOverPlainAndSsl() throws Exception {
        String fetchmail = Tools.require("fetchmail");
        Path out = Files.createDirectories(dir.resolve("fetched"));
        Path deliver = dir.resolve("deliver.sh");
        Files.writeString(deliver, "#!/bin/sh\nexec cat > \"$(mktemp " + out + "/msg.XXXXXX)\"\n");
        Files.setPosixFilePermissions(deliver, PosixFilePermissions.fromString("rwx------"));

        addMessages(3);
        runFetchmail(fetchmail, pop.plain().getPort(), "", deliver);
        assertThat(pop.messageFiles()).isEmpty();
        assertThat(Files.list(out).count()).isEqualTo(3);

        addMessages(2);
        runFetchmail(fetchmail, pop.implicitTls().getPort(), " ssl", deliver);
        assertThat(pop.messageFiles()).isEmpty();
        List<String> texts = new ArrayList<>();
        try (var files = Files.list(out)) {
            for (Path f : files.toList()) {
                texts.add(Files.readString(f));
            }
        }
        assertThat(texts).hasSize(5).allMatch(t -> t.contains("\n.a line starting with a dot\n..two dots\n"));
    }

    private void runFetchmail(String fetchmail, int port, String ssl, Path deliver) throws Exception {
        Path home = Files.createDirectories(dir.resolve("fetchmail-home"));
        Path rc = home.resolve("fetchmailrc");
        Files.writeString(rc, "set no syslog\n"
                + "poll 127.0.0.1 with proto POP3 port " + port + "\n"
                + "  user \"" + USER + "\" there with password \"" + PASSWORD + "\" is \"root\" here\n"
                + "  options fetchall nokeep no sslcertck" + ssl + "\n"
                + "  mda \"" + deliver + "\"\n");
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        ExternalProcess.Result r = ExternalProcess.run(RUN,
                java.util.Map.of("HOME", home.toString(), "FETCHMAILHOME", home.toString()),
                List.of(fetchmail, "-f", rc.toString(), "--nodetach", "-v"));
        assertThat(r.exitCode()).as(r.describe() + "\nserver log:\n" + pop.log()).isZero();
        assertThat(r.output()).doesNotContain("Authorization failure");
    }
}
