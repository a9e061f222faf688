package dev.qflux.smtp.server;

import dev.qflux.auth.AuthResult;
import dev.qflux.auth.Credentials;
import dev.qflux.smtp.protocol.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * The AUTH command (RFC 4954) with the PLAIN (RFC 4616) and LOGIN mechanisms: the 334
 * continuations, the cancel ({@code *}), base64 checks, and the credentials to check. Secrets
 * live only in the {@link Credentials} handed to the checker and are never logged.
 * Event-loop confined.
 */
final class AuthExchange {
    /** The mechanisms offered, in EHLO's AUTH line. */
    static final String MECHANISMS = "PLAIN LOGIN";
    /** base64("Username:") and base64("Password:"), what every LOGIN client expects. */
    private static final Reply LOGIN_USER = Reply.plain(334, "VXNlcm5hbWU6");
    private static final Reply LOGIN_PASSWORD = Reply.plain(334, "UGFzc3dvcmQ6");
    /** RFC 4954 section 4: an empty challenge is "334 " with nothing after the space. */
    private static final Reply EMPTY_CHALLENGE = Reply.plain(334, "");

    private enum Waiting { NOTHING, PLAIN, LOGIN_USER, LOGIN_PASSWORD }

    private Waiting waiting = Waiting.NOTHING;
    private String loginUser;

    boolean pending() {
        return waiting != Waiting.NOTHING;
    }

    /** Ends an exchange whose response could not be read (a line over the limit). */
    void abandon() {
        waiting = Waiting.NOTHING;
        loginUser = null;
    }

    /** The AUTH command's argument: mechanism and optional initial response. */
    Step start(String arg, String clientIp) {
        String[] words = arg.strip().split(" +");
        if (words[0].isEmpty() || words.length > 2) {
            return answer(SecurityReplies.AUTH_SYNTAX);
        }
        String mechanism = words[0].toUpperCase(Locale.ROOT);
        String initial = words.length == 2 ? words[1] : null;
        switch (mechanism) {
            case "PLAIN":
                if (initial == null) {
                    waiting = Waiting.PLAIN;
                    return answer(EMPTY_CHALLENGE);
                }
                return plain(initial, clientIp);
            case "LOGIN":
                if (initial == null) {
                    waiting = Waiting.LOGIN_USER;
                    return answer(LOGIN_USER);
                }
                return loginUser(initial);
            default:
                return answer(SecurityReplies.AUTH_UNKNOWN_MECHANISM);
        }
    }

    /** A line answering a 334. */
    Step next(String line, String clientIp) {
        Waiting w = waiting;
        waiting = Waiting.NOTHING;
        if (line.equals("*")) {
            return answer(SecurityReplies.AUTH_CANCELLED);
        }
        switch (w) {
            case PLAIN:
                return plain(line, clientIp);
            case LOGIN_USER:
                return loginUser(line);
            case LOGIN_PASSWORD:
                String pw = decode(line);
                return pw == null ? answer(SecurityReplies.AUTH_BAD_BASE64)
                        : check(loginUser, pw, clientIp);
            default:
                throw new IllegalStateException("no AUTH exchange in progress");
        }
    }

    private Step loginUser(String response) {
        String user = decode(response);
        if (user == null) {
            return answer(SecurityReplies.AUTH_BAD_BASE64);
        }
        loginUser = user;
        waiting = Waiting.LOGIN_PASSWORD;
        return answer(LOGIN_PASSWORD);
    }

    /** RFC 4616 section 2: [authzid] NUL authcid NUL passwd. */
    private Step plain(String response, String clientIp) {
        String decoded = decode(response);
        if (decoded == null) {
            return answer(SecurityReplies.AUTH_BAD_BASE64);
        }
        String[] parts = decoded.split("\0", -1);
        if (parts.length != 3) {
            return answer(SecurityReplies.AUTH_BAD_BASE64);
        }
        if (!parts[0].isEmpty() && !parts[0].equals(parts[1])) {
            // Acting for another user needs an authorization policy qflux does not have.
            return answer(SecurityReplies.AUTH_FAILED);
        }
        return check(parts[1], parts[2], clientIp);
    }

    private static Step check(String user, String password, String clientIp) {
        return new Step.CheckCredentials(new Credentials(user, password, null, clientIp, "smtp"));
    }

    /** "=" is an empty initial response (RFC 4954 section 4); null when not base64. */
    private static String decode(String s) {
        if (s.equals("=")) {
            return "";
        }
        try {
            return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The reply to a finished check. */
    static Reply reply(AuthResult result) {
        if (result instanceof AuthResult.Accepted) {
            return SecurityReplies.AUTH_OK;
        }
        if (result instanceof AuthResult.Rejected) {
            return SecurityReplies.AUTH_FAILED;
        }
        return SecurityReplies.AUTH_TEMPORARY;
    }

    private static Step answer(Reply r) {
        return new Step.Answer(r);
    }
}
