package dev.qflux.inject;

import dev.qflux.config.DeliveryConfig;
import java.util.Map;

/**
 * Who is injecting and how addresses are completed, found as qmail-inject finds them: the control
 * files defaulthost, defaultdomain, plusdomain and idhost (each defaulting to me), overridden by
 * QMAILDEFAULTHOST, QMAILDEFAULTDOMAIN, QMAILPLUSDOMAIN, QMAILIDHOST; the user from QMAILUSER,
 * MAILUSER, USER, LOGNAME, then the login name of the uid; the host from QMAILHOST or MAILHOST
 * (none: the From: address is completed with defaulthost); the full name from QMAILNAME, MAILNAME
 * or NAME; the envelope sender from QMAILSUSER and QMAILSHOST, defaulting to user and host.
 *
 * @param user          local part of the From: inject writes
 * @param host          its domain, null to complete it with defaulthost
 * @param fullName      the display name of that From:, null for none
 * @param senderUser    local part of the default envelope sender
 * @param senderHost    its domain, null to complete it with defaulthost
 * @param defaultHost   added to addresses without a domain
 * @param defaultDomain added to domains without a dot
 * @param plusDomain    replaces a trailing "+" of a domain
 * @param idHost        domain of the Message-IDs inject writes
 */
record Identity(String user, String host, String fullName, String senderUser, String senderHost,
                String defaultHost, String defaultDomain, String plusDomain, String idHost) {

    /** qmail-inject.c: the user when nothing else names one. */
    static final String ANONYMOUS = "anonymous";

    static Identity from(DeliveryConfig config, Map<String, String> env, String loginName) {
        String user = first(env, "QMAILUSER", "MAILUSER", "USER", "LOGNAME");
        if (user == null) {
            user = loginName == null || loginName.isEmpty() ? ANONYMOUS : loginName;
        }
        String host = first(env, "QMAILHOST", "MAILHOST");
        String senderUser = first(env, "QMAILSUSER");
        String senderHost = first(env, "QMAILSHOST");
        return new Identity(user, host, first(env, "QMAILNAME", "MAILNAME", "NAME"),
                senderUser != null ? senderUser : user, senderHost != null ? senderHost : host,
                or(env, "QMAILDEFAULTHOST", config.defaultHost()),
                or(env, "QMAILDEFAULTDOMAIN", config.defaultDomain()),
                or(env, "QMAILPLUSDOMAIN", config.plusDomain()),
                or(env, "QMAILIDHOST", config.idHost()));
    }

    /**
     * As qmail's sendmail does for {@code -f}: the From: inject writes names the sender too, and
     * the name from the environment no longer applies (it belonged to the login user). A null
     * sender ({@code -f ''} or {@code -f '<>'}) changes nothing.
     */
    Identity withSender(String sender) {
        if (sender == null || sender.isEmpty() || sender.equals("<>")) {
            return this;
        }
        int at = sender.lastIndexOf('@');
        String u = at < 0 ? sender : sender.substring(0, at);
        String h = at < 0 ? null : sender.substring(at + 1);
        return new Identity(u, h, null, u, h, defaultHost, defaultDomain, plusDomain, idHost);
    }

    /** {@code -F}: the display name of the From: inject writes. */
    Identity withFullName(String name) {
        return name == null ? this
                : new Identity(user, host, name, senderUser, senderHost, defaultHost, defaultDomain, plusDomain, idHost);
    }

    private static String first(Map<String, String> env, String... names) {
        for (String name : names) {
            String value = env.get(name);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String or(Map<String, String> env, String name, String fallback) {
        String value = env.get(name);
        return value != null && !value.isEmpty() ? value : fallback;
    }
}
