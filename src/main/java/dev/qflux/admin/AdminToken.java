package dev.qflux.admin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The admin endpoint's bearer token: a file of the conf directory readable only by its owner, made
 * at the daemon's first start. Whoever can read it may operate the daemon, as whoever can run
 * {@code svc} on qmail's supervise directories could.
 */
public final class AdminToken {
    /** 256 bits from SecureRandom: not guessable, short enough to paste. */
    static final int TOKEN_BYTES = 32;

    private final byte[] token;

    private AdminToken(String token) {
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads the token file, making it (mode 0600) if it does not exist. Blocks: call at start. */
    public static AdminToken loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] random = new byte[TOKEN_BYTES];
            new SecureRandom().nextBytes(random);
            String text = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, text + "\n", StandardCharsets.US_ASCII);
            } catch (FileAlreadyExistsException raced) {
                // Another process made it first: use theirs.
            }
        }
        return read(file);
    }

    /** Reads an existing token file (the verbs do this). */
    public static AdminToken read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (text.isEmpty()) {
            throw new IOException(file + ": empty; delete it and start qflux to make a new token");
        }
        return new AdminToken(text);
    }

    /** The {@code Authorization} header value that carries this token. */
    public String header() {
        return "Bearer " + new String(token, StandardCharsets.US_ASCII);
    }

    /** Whether an {@code Authorization} header carries this token; constant time. */
    boolean matches(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        byte[] given = authorization.substring("Bearer ".length()).strip()
                .getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(given, token);
    }
}
