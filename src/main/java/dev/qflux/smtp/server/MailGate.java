package dev.qflux.smtp.server;

import dev.qflux.smtp.protocol.Reply;

/**
 * Whether MAIL may start a transaction: open, paused by the operator ({@code qflux pause --smtp},
 * the init script's pause of the SMTP service) or closed for a stop. Connections are still
 * accepted and greeted either way, so clients get a reply instead of a timeout.
 */
final class MailGate {
    /** RFC 5321 4.2.2: 451 is "local error in processing", the client tries again later. */
    static final Reply PAUSED = Reply.of(451, "4.3.2", "mail system paused, try again later");

    private volatile boolean paused;
    private volatile Reply shuttingDown;

    void pause(boolean on) {
        paused = on;
    }

    boolean paused() {
        return paused;
    }

    /** From now on MAIL gets this 421 and the connection is closed (RFC 5321 3.8). */
    void shutDown(Reply reply) {
        shuttingDown = reply;
    }

    /** The refusal for a MAIL now, or null to accept it. */
    Reply refusal() {
        Reply closing = shuttingDown;
        if (closing != null) {
            return closing;
        }
        return paused ? PAUSED : null;
    }
}
