package dev.qflux.auth;

import java.io.IOException;
import java.nio.file.Path;

/** Checks logins against control/passwords ({@link PasswordFile}); blocking and CPU-bound. */
final class PasswordFileAuthenticator implements BlockingChecker {
    private final Path file;

    PasswordFileAuthenticator(Path file) {
        this.file = file;
    }

    /** Read on every attempt, so {@code qflux passwd} takes effect without a reload. */
    @Override
    public AuthResult check(Credentials c) {
        if (c.challenge() != null) {
            return new AuthResult.Rejected("challenge-response needs the plain password");
        }
        PasswordFile.Entry entry;
        try {
            entry = PasswordFile.find(file, c.user());
        } catch (IOException e) {
            return new AuthResult.Unavailable(e.getMessage());
        }
        if (entry == null) {
            PasswordHash.burn(c.secret());
            return new AuthResult.Rejected("no such user");
        }
        if (!PasswordHash.matches(c.secret(), entry.hash())) {
            return new AuthResult.Rejected("wrong password");
        }
        return new AuthResult.Accepted(entry.user(), entry.home() == null ? null : Path.of(entry.home()), -1, -1);
    }
}
