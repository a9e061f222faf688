package dev.qflux.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A self-signed certificate made at test time with openssl (no key is ever committed): one PEM
 * file holding the private key and the certificate, as control/servercert.pem wants it, and the
 * certificate alone for a client's trust store (control/tlsca.pem).
 *
 * @param combined key + certificate
 * @param certificate the certificate only
 */
public record TestCertificate(Path combined, Path certificate) {
    /** For {@code cn} (also its subjectAltName), valid two days. */
    public static TestCertificate create(Path dir, String cn) throws Exception {
        String openssl = Tools.require("openssl");
        Files.createDirectories(dir);
        Path key = dir.resolve(cn + ".key");
        Path cert = dir.resolve(cn + ".crt");
        ExternalProcess.Result r = ExternalProcess.run(Duration.ofSeconds(60), List.of(openssl, "req",
                "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
                "-subj", "/CN=" + cn, "-addext", "subjectAltName=DNS:" + cn, "-days", "2"));
        if (r.exitCode() != 0) {
            throw new AssertionError(r.describe());
        }
        Path combined = dir.resolve(cn + ".pem");
        Files.writeString(combined, Files.readString(key) + Files.readString(cert));
        return new TestCertificate(combined, cert);
    }
}
