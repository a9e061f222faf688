package dev.qflux.local;

import java.util.Locale;
import java.util.Optional;

/**
 * Who gets a local part, from memory only: qmail-lspawn's {@code users/assign} lookup, then
 * qmail-getpw's passwd lookup (the longest {@code user} such that the local part is
 * {@code user} or {@code user-ext}), then the alias user, whose extension is the whole local part.
 */
final class UserResolver {
    /** qmail's auto_break: the character between a user name and its extension. */
    static final char BREAK = '-';
    /** Name of the user that takes what no one else does (qmail's auto_usera). */
    static final String ALIAS_USER = "alias";

    private final UsersAssign assign;
    private final UserDatabase database;

    UserResolver(UsersAssign assign, UserDatabase database) {
        this.assign = assign;
        this.database = database;
    }

    /**
     * Whether an address holds a NUL, which no file name, program argument or environment variable
     * can carry (SMTP's grammar already refuses it; this guards other ways in).
     */
    static boolean unnameable(String address) {
        return address.indexOf('\0') >= 0;
    }

    LocalUser resolve(String localPart) {
        String lower = localPart.toLowerCase(Locale.ROOT); // qmail-lspawn lowercases for lookup
        Optional<LocalUser> assigned = assign.find(lower);
        if (assigned.isPresent()) {
            return assigned.get();
        }
        UserDatabase.Snapshot db = database.snapshot();
        // the extension keeps the address's case (EXT), unless lowercasing changed the length
        String cased = lower.length() == localPart.length() ? localPart : lower;
        for (int end = lower.length(); end > 0; end = lower.lastIndexOf(BREAK, end - 1)) {
            UserDatabase.PasswdUser pw = db.users().get(lower.substring(0, end));
            if (pw != null) {
                boolean hasExt = end < lower.length();
                return new LocalUser(pw.name(), pw.uid(), pw.gid(), pw.home(), hasExt ? "-" : "",
                        hasExt ? cased.substring(end + 1) : "", LocalUser.Source.PASSWD);
            }
        }
        return new LocalUser(ALIAS_USER, db.aliasUid(), db.aliasGid(), database.aliasDir(), "-",
                localPart, LocalUser.Source.ALIAS);
    }

    /**
     * Whether {@code localPart} reaches a mailbox, without I/O. A real user always does (their
     * extension files are only read at delivery); the alias user only for a {@code .qmail-*} file
     * the lookup would find in the alias directory.
     */
    boolean accepts(String localPart) {
        if (unnameable(localPart)) {
            return false;
        }
        LocalUser user = resolve(localPart);
        if (user.source() != LocalUser.Source.ALIAS) {
            return true;
        }
        for (String candidate : DotQmailFinder.candidates(user.dash(), user.ext())) {
            if (database.aliasFile(candidate).isPresent()) {
                return true;
            }
        }
        return false;
    }
}
