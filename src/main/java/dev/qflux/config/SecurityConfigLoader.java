package dev.qflux.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Reads the control files of {@link SecurityConfig}; blocking file reads, like ConfigLoader. */
final class SecurityConfigLoader {
    /** Seconds a failed login waits for its answer: slows guessing, as qmail-popup's sleep(5). */
    static final long DEFAULT_AUTH_FAIL_DELAY_SECONDS = 2;
    /** Failed logins per client address in {@link SecurityConfig#FAILURE_WINDOW}. */
    static final long DEFAULT_AUTH_FAILURES = 10;
    /** The longest failure delay accepted: a client waits this long for every wrong password. */
    static final long MAX_AUTH_FAIL_DELAY_SECONDS = 60;

    private SecurityConfigLoader() {
    }

    static SecurityConfig load(ControlReader control) throws ConfigException {
        Path passwords = existing(control.file("passwords"));
        List<String> checkpassword = checkpassword(control);
        if (passwords != null && !checkpassword.isEmpty()) {
            throw new ConfigException(control.file("checkpassword") + ": " + passwords
                    + " exists too; logins are checked by one of them: remove the other");
        }
        return new SecurityConfig(
                existing(control.file("servercert.pem")),
                passwords,
                checkpassword,
                authPlaintext(control),
                Duration.ofSeconds(control.number("authfaildelay", DEFAULT_AUTH_FAIL_DELAY_SECONDS, 0,
                        MAX_AUTH_FAIL_DELAY_SECONDS)),
                (int) control.number("authfailures", DEFAULT_AUTH_FAILURES, 1, Integer.MAX_VALUE),
                certificates(existing(control.file("tlsca.pem"))),
                tlsDestinations(control.file("tlsdestinations")));
    }

    /** A PEM file of trusted CA certificates: at least one, all parseable. */
    private static Path certificates(Path file) throws ConfigException {
        if (file == null) {
            return null;
        }
        try (java.io.InputStream in = Files.newInputStream(file)) {
            if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                throw new ConfigException(file + ": holds no certificate; expected PEM CA certificates");
            }
        } catch (java.io.IOException | java.security.cert.CertificateException e) {
            throw new ConfigException(file + ": not PEM CA certificates: " + e.getMessage());
        }
        return file;
    }

    private static Path existing(Path file) {
        return Files.exists(file) ? file : null;
    }

    /** One line: the program and its arguments, separated by blanks. */
    private static List<String> checkpassword(ControlReader control) throws ConfigException {
        Optional<String> line = control.text("checkpassword");
        if (line.isEmpty() || line.get().isBlank()) {
            return List.of();
        }
        return List.of(line.get().strip().split("[ \t]+"));
    }

    private static SecurityConfig.AuthPlaintext authPlaintext(ControlReader control) throws ConfigException {
        Optional<ControlLine> found = ControlFiles.firstLine(control.file("authplaintext"));
        if (found.isEmpty()) {
            return SecurityConfig.AuthPlaintext.LOOPBACK;
        }
        String v = found.get().content().strip().toLowerCase(Locale.ROOT);
        switch (v) {
            case "loopback":
                return SecurityConfig.AuthPlaintext.LOOPBACK;
            case "allow":
                return SecurityConfig.AuthPlaintext.ALLOW;
            case "deny":
                return SecurityConfig.AuthPlaintext.DENY;
            default:
                throw found.get().error("expected loopback, allow or deny, got " + ControlLine.quote(v));
        }
    }

    /** Lines {@code domain:policy}; an empty domain ({@code :verify}) sets the default. */
    private static Map<String, SecurityConfig.TlsPolicy> tlsDestinations(Path file) throws ConfigException {
        Map<String, SecurityConfig.TlsPolicy> out = new HashMap<>();
        for (ControlLine line : ControlFiles.entries(file).orElse(List.of())) {
            String text = line.content().strip();
            int colon = text.lastIndexOf(':');
            if (colon < 0) {
                throw line.error("expected domain:policy such as example.com:verify, got "
                        + ControlLine.quote(text));
            }
            String domain = text.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String name = text.substring(colon + 1).strip().toUpperCase(Locale.ROOT);
            SecurityConfig.TlsPolicy policy;
            try {
                policy = SecurityConfig.TlsPolicy.valueOf(name);
            } catch (IllegalArgumentException e) {
                throw line.error("unknown policy " + ControlLine.quote(text.substring(colon + 1))
                        + "; expected none, may, encrypt or verify");
            }
            if (out.put(domain, policy) != null) {
                throw line.error("domain " + ControlLine.quote(domain) + " given twice");
            }
        }
        return out;
    }
}
