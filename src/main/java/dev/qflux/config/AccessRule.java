package dev.qflux.config;

import java.util.Map;

/**
 * The tcp.smtp rule that matched a client: allow or deny, and the environment it sets
 * (RELAYCLIENT and the like), exactly as tcprules instructions.
 */
public record AccessRule(boolean allow, Map<String, String> env) {
    public static final AccessRule ALLOW_ALL = new AccessRule(true, Map.of());

    /** RELAYCLIENT's value (appended to each recipient) or null when relaying is not allowed. */
    public String relayClient() {
        return env.get("RELAYCLIENT");
    }
}
