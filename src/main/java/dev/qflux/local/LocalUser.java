package dev.qflux.local;

import java.nio.file.Path;

/**
 * Who receives a local address, as qmail-getpw / qmail-lspawn hand it to qmail-local: the user,
 * their ids and home, and the extension that picks the {@code .qmail} file
 * ({@code home/.qmail + dash + ext}).
 */
record LocalUser(String name, int uid, int gid, Path home, String dash, String ext, Source source) {
    /** Where the user was found; only the alias user takes what no one else does. */
    enum Source { ASSIGN, PASSWD, ALIAS }

    LocalUser withExt(String newExt) {
        return new LocalUser(name, uid, gid, home, dash, newExt, source);
    }
}
