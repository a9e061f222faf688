package dev.qflux.pop3;

import dev.qflux.auth.AuthResult;
import dev.qflux.auth.Authenticator;
import dev.qflux.auth.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import reactor.core.publisher.Mono;

/**
 * Accounts held in memory: a plain password each, and APOP digests checked against it
 * (RFC 1939 section 7). Stands in for the password file or checkpassword program.
 */
final class TestAuthenticator implements Authenticator {
    private record Account(String password, Path home) {
    }

    private final Map<String, Account> accounts = new ConcurrentHashMap<>();

    TestAuthenticator add(String user, String password, Path home) {
        accounts.put(user, new Account(password, home));
        return this;
    }

    @Override
    public Mono<AuthResult> authenticate(Credentials c) {
        return Mono.fromSupplier(() -> {
            Account a = accounts.get(c.user());
            if (a == null) {
                return new AuthResult.Rejected("no such user");
            }
            String expected = c.challenge() == null ? a.password() : apopDigest(c.challenge(), a.password());
            return expected.equals(c.secret()) ? new AuthResult.Accepted(c.user(), a.home(), -1, -1)
                    : new AuthResult.Rejected("wrong password");
        });
    }

    static String apopDigest(String timestamp, String password) {
        try {
            byte[] md5 = MessageDigest.getInstance("MD5")
                    .digest((timestamp + password).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
