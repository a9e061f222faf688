package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.ExternalProcess;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.Swaks;
import dev.qflux.it.support.TestCertificate;
import dev.qflux.it.support.TestConf;
import dev.qflux.it.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real qflux with a test certificate, a password set by {@code qflux passwd}, AUTH only under
 * TLS (control/authplaintext deny) and nobody allowed to relay by address: swaks with STARTTLS
 * and with implicit TLS, openssl s_client, and Python's smtplib (STARTTLS, and SMTP_SSL on the
 * smtps port with PLAIN and with LOGIN) log in and relay; a wrong password gets 535, relaying
 * without a login 553; TLS 1.1 is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmtpTlsAuthIT {
    static final String PASSWORD = "correct horse battery";
    static final Duration RUN_BOUND = Duration.ofSeconds(120);

    int port;
    int smtpsPort;
    TestConf.Paths conf;
    QfluxProcess qflux;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        port = FreePort.pick();
        smtpsPort = FreePort.pick();
        TestCertificate cert = TestCertificate.create(dir.resolve("cert"), "qflux.test");
        conf = TestConf.in(dir).listen(port)
                // smtps first: once the plain listener greets, both are bound.
                .control("listen", "127.0.0.1:" + smtpsPort + " smtps", "127.0.0.1:" + port + " smtp")
                .control("authplaintext", "deny")
                .control("authfaildelay", "0")
                .tcpRules(":allow")
                .write();
        Files.copy(cert.combined(), conf.confDir().resolve("control/servercert.pem"));
        ExternalProcess.Result passwd = ExternalProcess.run(RUN_BOUND, List.of("/bin/sh", "-c",
                "printf '%s\\n' \"$0\" | \"$1\" -jar \"$2\" passwd --conf \"$3\" --stdin alice",
                PASSWORD, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                QfluxProcess.jar().toString(), conf.confDir().toString()));
        assertThat(passwd.exitCode()).as(passwd.describe()).isZero();
        qflux = QfluxProcess.start(conf);
        qflux.awaitListening(port);
    }

    @AfterAll
    void stop() {
        if (qflux != null) {
            qflux.close();
        }
    }

    private Swaks relay(int p) {
        return Swaks.against(p).from("alice@client.test").to("someone@elsewhere.test");
    }

    @Test
    void swaksStartTlsWithPlainAndLoginRelays() {
        for (String mechanism : List.of("PLAIN", "LOGIN")) {
            ExternalProcess.Result r = relay(port).tls().auth(mechanism, "alice", PASSWORD).run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.output()).contains("<~  235 2.7.0 authentication successful").contains("<~  250 2.0.0 ok");
        }
    }

    @Test
    void swaksImplicitTlsWithPlainAndLoginRelays() {
        for (String mechanism : List.of("PLAIN", "LOGIN")) {
            ExternalProcess.Result r = relay(smtpsPort).tlsOnConnect().auth(mechanism, "alice", PASSWORD).run();
            assertThat(r.exitCode()).as(r.describe()).isZero();
            assertThat(r.output()).contains("<~  235 2.7.0 authentication successful").contains("<~  250 2.0.0 ok");
        }
    }

    @Test
    void wrongPasswordGets535AndIsNotLogged() {
        ExternalProcess.Result r = relay(port).tls().auth("PLAIN", "alice", "not-the-password").run();
        assertThat(r.exitCode()).as(r.describe()).isNotZero();
        assertThat(r.output()).contains("<~* 535 5.7.8 authentication credentials invalid");
        qflux.awaitCondition(RUN_BOUND, () -> qflux.log().contains("login failed for alice"), "failure logged");
        assertThat(qflux.log()).doesNotContain("not-the-password").doesNotContain(PASSWORD);
    }

    @Test
    void withoutTlsAuthIsNotOfferedAndRelayIsRefused() {
        ExternalProcess.Result r = relay(port).run();
        assertThat(r.exitCode()).as(r.describe()).isEqualTo(Swaks.EXIT_RCPT_REFUSED);
        assertThat(r.output()).contains("<-  250 STARTTLS").doesNotContain("AUTH PLAIN");
    }

    private ExternalProcess.Result sClient(String... version) {
        String openssl = Tools.require("openssl");
        String cmd = "\"$0\" s_client -starttls smtp -connect 127.0.0.1:" + port + " " + String.join(" ", version)
                + " </dev/null";
        return ExternalProcess.run(RUN_BOUND, List.of("/bin/sh", "-c", cmd, openssl));
    }

    @Test
    void opensslSeesTls13And12AndIsRefusedTls11() {
        ExternalProcess.Result v13 = sClient("-tls1_3");
        assertThat(v13.output()).as(v13.describe()).contains("New, TLSv1.3, Cipher is TLS_");
        ExternalProcess.Result v12 = sClient("-tls1_2");
        assertThat(v12.output()).as(v12.describe()).contains("New, TLSv1.2, Cipher is ECDHE-");
        // SECLEVEL=0 lets this client offer TLS 1.1, so the refusal is the server's.
        ExternalProcess.Result v11 = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(v11.exitCode()).as(v11.describe()).isNotZero();
        assertThat(v11.output()).as(v11.describe()).doesNotContain("New, TLSv1.1")
                .doesNotContain("no protocols available").contains("alert");
    }

    @Test
    void pythonSmtplibStartTlsLoginAndRelay() {
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "port = int(sys.argv[1])",
                "s = smtplib.SMTP('127.0.0.1', port, timeout=60)",
                "s.ehlo('client.test')",
                "assert not s.has_extn('auth'), 'AUTH offered without TLS'",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "s.starttls(context=ctx)",
                "s.ehlo('client.test')",
                "print('cipher', s.sock.version(), s.sock.cipher()[0])",
                "print('login', s.login('alice', sys.argv[2]))",
                "refused = s.sendmail('alice@client.test', ['someone@elsewhere.test'],",
                "    'Message-ID: <smtplib.tls@client.test>\\r\\nSubject: relayed\\r\\n\\r\\nhi\\r\\n')",
                "print('refused', refused)",
                "s.quit()");
        ExternalProcess.Result r = ExternalProcess.run(RUN_BOUND, List.of(Tools.require("python3"), "-c", script,
                String.valueOf(port), PASSWORD));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).contains("login (235, b'2.7.0 authentication successful')")
                .contains("refused {}").containsPattern("cipher TLSv1\\.[23] ");
        qflux.awaitCondition(RUN_BOUND, () -> qflux.log().contains("auth: smtp login alice"), "login logged");
    }

    /**
     * RFC 8314 implicit TLS with Python's SMTP_SSL: each mechanism forced in turn (smtplib's
     * login() would pick PLAIN, the first it knows), then a wrong password and an attempt to
     * relay without logging in, on the same kind of connection.
     */
    @Test
    void pythonSmtplibOverSmtpsWithPlainAndLogin() {
        String script = String.join("\n",
                "import smtplib, ssl, sys",
                "port = int(sys.argv[1])",
                "ctx = ssl.create_default_context()",
                "ctx.check_hostname = False",
                "ctx.verify_mode = ssl.CERT_NONE",
                "def connect():",
                "    s = smtplib.SMTP_SSL('127.0.0.1', port, context=ctx, timeout=60)",
                "    s.ehlo('client.test')",
                "    return s",
                "def message(tag):",
                "    return 'Message-ID: <smtps.' + tag + '@client.test>\\r\\nSubject: ' + tag + '\\r\\n\\r\\nhi\\r\\n'",
                "for mechanism in ('PLAIN', 'LOGIN'):",
                "    s = connect()",
                "    print('version', s.sock.version(), 'offered', s.esmtp_features.get('auth').strip())",
                "    s.user, s.password = 'alice', sys.argv[2]",
                "    print(mechanism, s.auth(mechanism, getattr(s, 'auth_' + mechanism.lower())))",
                "    print(mechanism, 'refused', s.sendmail('alice@client.test', ['someone@elsewhere.test'], message(mechanism)))",
                "    s.quit()",
                "s = connect()",
                "s.user, s.password = 'alice', 'not-the-password'",
                "try:",
                "    s.auth('PLAIN', s.auth_plain)",
                "    print('wrong password accepted')",
                "except smtplib.SMTPAuthenticationError as e:",
                "    print('wrong', e.smtp_code, e.smtp_error.decode())",
                "try:",
                "    s.sendmail('alice@client.test', ['someone@elsewhere.test'], message('unauthenticated'))",
                "    print('relayed without login')",
                "except smtplib.SMTPRecipientsRefused as e:",
                "    code, text = e.recipients['someone@elsewhere.test']",
                "    print('norelay', code, text.decode())",
                "s.quit()");
        ExternalProcess.Result r = ExternalProcess.run(RUN_BOUND, List.of(Tools.require("python3"), "-c", script,
                String.valueOf(smtpsPort), PASSWORD));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        assertThat(r.stdout()).as(r.describe())
                .containsPattern("version TLSv1\\.[23] offered PLAIN LOGIN")
                .contains("PLAIN (235, b'2.7.0 authentication successful')")
                .contains("PLAIN refused {}")
                .contains("LOGIN (235, b'2.7.0 authentication successful')")
                .contains("LOGIN refused {}")
                .contains("wrong 535 5.7.8 authentication credentials invalid")
                .contains("norelay 553 5.7.1 sorry, that domain isn't in my list of allowed rcpthosts")
                .doesNotContain("accepted").doesNotContain("without login");
    }
}
