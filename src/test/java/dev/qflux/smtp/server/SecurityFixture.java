package dev.qflux.smtp.server;

import dev.qflux.auth.Authenticators;
import dev.qflux.auth.CloseableAuthenticator;
import dev.qflux.auth.PasswordHash;
import dev.qflux.it.support.TestCertificate;
import dev.qflux.tls.ServerTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link ServerFixture} with a test certificate and control/passwords holding alice. */
final class SecurityFixture implements AutoCloseable {
    static final String USER = "alice";
    static final String PASSWORD = "Tr0ub4dor&3";

    final ServerFixture server;
    private CloseableAuthenticator auth;

    private SecurityFixture(Path dir, Map<String, String> extra, boolean withCert) throws Exception {
        Map<String, String> files = new LinkedHashMap<>();
        if (withCert) {
            TestCertificate cert = TestCertificate.create(dir.resolve("cert"), "mx.example.test");
            files.put("control/servercert.pem", Files.readString(cert.combined()).strip());
        }
        if (!extra.containsKey("control/checkpassword")) {
            files.put("control/passwords", USER + ":" + PasswordHash.hash(PASSWORD.toCharArray(), 1000) + ":");
        }
        files.put("control/authfaildelay", "0");
        files.putAll(extra);
        server = ServerFixture.start(dir, files, (config, log) -> {
            auth = Authenticators.fromConfig(config.security(), log).orElse(null);
            ServerTls tls = config.security().serverCert() == null ? null
                    : ServerTls.load(config.security().serverCert());
            return new ServerSecurity(tls, auth);
        });
    }

    static SecurityFixture start(Path dir, Map<String, String> extra) throws Exception {
        return new SecurityFixture(dir, extra, true);
    }

    static SecurityFixture withoutCertificate(Path dir, Map<String, String> extra) throws Exception {
        return new SecurityFixture(dir, extra, false);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String plain(String user, String password) {
        return b64("\0" + user + "\0" + password);
    }

    TlsTestClient connect() throws Exception {
        TlsTestClient c = TlsTestClient.connect(server.address());
        c.line(); // greeting
        return c;
    }

    @Override
    public void close() {
        server.close();
        if (auth != null) {
            auth.close();
        }
    }
}
