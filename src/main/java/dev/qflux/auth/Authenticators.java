package dev.qflux.auth;

import dev.qflux.config.SecurityConfig;
import dev.qflux.log.LogSink;
import java.util.Optional;

/** Builds the configured {@link Authenticator}: control/passwords or control/checkpassword. */
public final class Authenticators {
    private Authenticators() {
    }

    /**
     * The authenticator {@code config} names, with the failure delay and per-client limit, or
     * empty when neither control/passwords nor control/checkpassword exists (AUTH is then not
     * offered). The caller closes it when it stops.
     */
    public static Optional<CloseableAuthenticator> fromConfig(SecurityConfig config, LogSink log) {
        BlockingChecker checker;
        if (config.passwordFile() != null) {
            checker = new PasswordFileAuthenticator(config.passwordFile());
        } else if (!config.checkpassword().isEmpty()) {
            checker = new CheckpasswordAuthenticator(config.checkpassword());
        } else {
            return Optional.empty();
        }
        return Optional.of(new LoginGuard(checker, log, config.authFailureDelay(),
                config.authFailuresPerIp(), SecurityConfig.FAILURE_WINDOW));
    }
}
