package dev.qflux.auth;

/**
 * One login attempt.
 *
 * @param user          the login name as the client sent it
 * @param secret        the password, or for a challenge-response mechanism (APOP, CRAM-MD5) the
 *                      client's digest of {@code challenge}
 * @param challenge     the server's challenge (APOP timestamp, CRAM-MD5 string), or null for a
 *                      plain password; checkpassword receives it as its third field
 * @param clientAddress the client's IP address, for per-client failure limits and logs
 * @param service       "smtp" or "pop3", for logs
 */
public record Credentials(String user, String secret, String challenge, String clientAddress,
                          String service) {
    /** Never prints the secret: credentials must not reach a log. */
    @Override
    public String toString() {
        return "Credentials[user=" + user + ", service=" + service + ", client=" + clientAddress + "]";
    }
}
