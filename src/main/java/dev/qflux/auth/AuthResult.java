package dev.qflux.auth;

import java.nio.file.Path;

/** What a login attempt came to. */
public sealed interface AuthResult {
    /**
     * The credentials are right.
     *
     * @param user the account name the checker settled on
     * @param home the account's home directory (where POP3 finds {@code Maildir/}), or null if the
     *             checker knows none
     * @param uid  the account's uid, or -1 if unknown
     * @param gid  the account's gid, or -1 if unknown
     */
    record Accepted(String user, Path home, long uid, long gid) implements AuthResult {
    }

    /** Wrong user or password; {@code reason} is for the log, never for the client. */
    record Rejected(String reason) implements AuthResult {
    }

    /** The checker could not answer (temporary failure: the client may try again later). */
    record Unavailable(String reason) implements AuthResult {
    }
}
