package dev.qflux.local;

import dev.qflux.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code conf/users/assign} in qmail-newu's format: {@code =local:user:uid:gid:homedir:dash:ext:}
 * assigns one address, {@code +loc:user:uid:gid:homedir:dash:pre:} every address starting with
 * {@code loc} (the rest is appended to {@code pre}). The file ends with a line holding {@code .}.
 * Lookup is qmail-lspawn's: the exact entry first, then the longest matching prefix. Immutable.
 */
public final class UsersAssign {
    /** Largest users/assign read: far above a real one, stops a stray huge file filling the heap. */
    static final long MAX_FILE_BYTES = 64L * 1024 * 1024;
    /** Fields of an entry: the key and seven more, the last one empty (every line ends with ':'). */
    private static final int FIELDS = 8;

    private record Entry(String key, LocalUser user) {
    }

    private final Map<String, LocalUser> exact;
    private final List<Entry> prefixes; // longest first

    private UsersAssign(Map<String, LocalUser> exact, List<Entry> prefixes) {
        this.exact = Map.copyOf(exact);
        this.prefixes = List.copyOf(prefixes);
    }

    /** No assignments: every recipient goes to the passwd database or the alias user. */
    public static UsersAssign empty() {
        return new UsersAssign(Map.of(), List.of());
    }

    /** Reads {@code file}; a missing file means no assignments. Blocking I/O. */
    public static UsersAssign load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new ConfigException(file + ": larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return parse(file, new String(bytes, StandardCharsets.UTF_8));
    }

    static UsersAssign parse(Path file, String text) throws ConfigException {
        Map<String, LocalUser> exact = new HashMap<>();
        List<Entry> prefixes = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            String where = file + ":" + (i + 1) + ": ";
            if (line.equals(".")) {
                prefixes.sort(Comparator.comparingInt((Entry e) -> e.key().length()).reversed());
                return new UsersAssign(exact, prefixes);
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            char kind = line.charAt(0);
            if (kind != '=' && kind != '+') {
                throw new ConfigException(where + "an entry starts with = or +: " + quote(line));
            }
            String[] f = line.substring(1).split(":", -1);
            if (f.length != FIELDS || !f[FIELDS - 1].isEmpty()) {
                throw new ConfigException(where + "expected " + kind
                        + "local:user:uid:gid:homedir:dash:ext: (seven fields, ending with ':'): " + quote(line));
            }
            String key = f[0].toLowerCase(Locale.ROOT); // qmail-newu lowercases the address
            if (f[1].isEmpty()) {
                throw new ConfigException(where + "empty user name");
            }
            Path home = Path.of(f[4]);
            if (!home.isAbsolute()) {
                throw new ConfigException(where + "the home directory must be absolute: " + quote(f[4]));
            }
            LocalUser user = new LocalUser(f[1], id(where, "uid", f[2]), id(where, "gid", f[3]),
                    home, f[5], f[6], LocalUser.Source.ASSIGN);
            if (kind == '=') {
                exact.put(key, user);
            } else {
                prefixes.add(new Entry(key, user));
            }
        }
        throw new ConfigException(file + ": missing the final line \".\" (qmail-newu requires it)");
    }

    /** The user for lowercased local part {@code local}: exact entry, else the longest prefix. */
    Optional<LocalUser> find(String local) {
        LocalUser hit = exact.get(local);
        if (hit != null) {
            return Optional.of(hit);
        }
        for (Entry e : prefixes) {
            if (local.startsWith(e.key())) {
                LocalUser u = e.user();
                return Optional.of(u.withExt(u.ext() + local.substring(e.key().length())));
            }
        }
        return Optional.empty();
    }

    private static int id(String where, String what, String text) throws ConfigException {
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(where + what + " is not a number: " + quote(text));
    }

    private static String quote(String s) {
        return "\"" + (s.length() > 80 ? s.substring(0, 80) + "..." : s) + "\"";
    }
}
