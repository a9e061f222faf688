package dev.qflux.cli;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The files of a starter conf/ for one host, as qmail's config-fast wrote them: me, locals and
 * rcpthosts hold the host name; defaultdomain and plusdomain hold it without its first label.
 * Added for qflux: listen, tcp.smtp (only this machine may relay), the postmaster, root and
 * mailer-daemon aliases, and defaultdelivery (Life with qmail's ./Maildir/).
 */
final class StarterConf {
    /** SMTP's port (RFC 5321 4.5.4.2 / IANA), where qmail's tcpserver listened. */
    static final int SMTP_PORT = 25;
    /** qmail's system aliases, each a .qmail file in the alias directory (qmail-facts: .qmail files). */
    static final String[] ALIASES = {"postmaster", "root", "mailer-daemon"};

    private StarterConf() {
    }

    /**
     * Relative path to content, in the order written.
     *
     * @param address listen address ({@code *} for every IPv4 address)
     * @param admin   where the aliases forward to, or null to keep their mail in alias/Maildir/
     */
    static Map<String, String> files(String host, String address, int port, String admin) {
        String fqdn = host.toLowerCase(Locale.ROOT);
        int dot = fqdn.indexOf('.');
        String parentDomain = dot > 0 ? fqdn.substring(dot + 1) : fqdn; // config-fast: sed 's/^[^\.]*\.//'
        Map<String, String> files = new LinkedHashMap<>();
        files.put("control/me", fqdn + "\n");
        files.put("control/defaultdomain", parentDomain + "\n");
        files.put("control/plusdomain", parentDomain + "\n");
        files.put("control/locals", "# Domains delivered on this host (whole names only).\n" + fqdn + "\n");
        files.put("control/rcpthosts", "# Domains this host accepts mail for from anyone; one per line.\n"
                + "# \".example.com\" accepts every subdomain of example.com.\n" + fqdn + "\n");
        files.put("control/listen", "# ADDRESS:PORT PROTOCOL [proxy=CIDR,...]   (docs/configuration.md)\n"
                + address + ":" + port + " smtp\n");
        files.put("control/defaultdelivery", "./Maildir/\n");
        files.put("tcp.smtp", "# Who may connect, and who may relay (tcprules format; docs/configuration.md).\n"
                + "# RELAYCLIENT set = may send to any domain; everyone else only to control/rcpthosts.\n"
                + "127.:allow,RELAYCLIENT=\"\"\n"
                + "[::1]:allow,RELAYCLIENT=\"\"\n"
                + ":allow\n");
        String aliasTarget = admin == null
                ? "# Kept in alias/Maildir/; put &you@example.com here to forward instead.\n./Maildir/\n"
                : "&" + admin + "\n";
        for (String alias : ALIASES) {
            files.put("alias/.qmail-" + alias, aliasTarget);
        }
        return files;
    }
}
