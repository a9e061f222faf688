package dev.qflux.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted PBKDF2-HMAC-SHA256 password hashes in the form
 * {@code $pbkdf2-sha256$ITERATIONS$SALT$HASH} (SALT and HASH in unpadded standard base64), the
 * JDK's own implementation, compared in constant time. CPU-bound: callers run it on the
 * authenticator's bounded scheduler.
 */
public final class PasswordHash {
    /** OWASP Password Storage Cheat Sheet (2023): 600,000 iterations for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** NIST SP 800-132 5.1: at least 128 bits of salt. */
    static final int SALT_BYTES = 16;
    /** The output of one SHA-256 block: longer output would only cost the defender. */
    static final int HASH_BYTES = 32;
    /** An iteration count above this is refused: a typo must not make every login take minutes. */
    static final int MAX_ITERATIONS = 10_000_000;
    static final String PREFIX = "$pbkdf2-sha256$";

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private PasswordHash() {
    }

    /** A new hash of {@code password} with a fresh salt. */
    public static String hash(char[] password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] dk = derive(password, salt, iterations, HASH_BYTES);
        return PREFIX + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(dk);
    }

    /** Whether {@code encoded} is well-formed; the reason it is not, else null. */
    static String problem(String encoded) {
        try {
            parse(encoded);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** True when {@code password} matches {@code encoded}; a malformed hash matches nothing. */
    static boolean matches(String password, String encoded) {
        Parsed p;
        try {
            p = parse(encoded);
        } catch (IllegalArgumentException e) {
            return false;
        }
        byte[] dk = derive(password.toCharArray(), p.salt, p.iterations, p.hash.length);
        return MessageDigest.isEqual(dk, p.hash); // constant time
    }

    /** Work as long as a real check, for unknown users: the answer's timing tells nothing. */
    static void burn(String password) {
        derive(password.toCharArray(), new byte[SALT_BYTES], DEFAULT_ITERATIONS, HASH_BYTES);
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {
    }

    private static Parsed parse(String encoded) {
        if (!encoded.startsWith(PREFIX)) {
            throw new IllegalArgumentException("hash does not start with " + PREFIX);
        }
        String[] parts = encoded.substring(PREFIX.length()).split("\\$", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("expected $pbkdf2-sha256$ITERATIONS$SALT$HASH");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("iterations not a number");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations outside 1.." + MAX_ITERATIONS);
        }
        byte[] salt = Base64.getDecoder().decode(parts[1]);
        byte[] hash = Base64.getDecoder().decode(parts[2]);
        if (salt.length == 0 || hash.length == 0) {
            throw new IllegalArgumentException("empty salt or hash");
        }
        return new Parsed(iterations, salt, hash);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
