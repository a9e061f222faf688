package dev.qflux.route;

/** Where one recipient goes: delivered on this host, or sent to another. */
public sealed interface Route {
    /** {@link Router#destinationKey} of every local delivery: local mail shares one limit. */
    String LOCAL_KEY = "local";

    /** What deliveries are grouped and limited by: {@link #LOCAL_KEY}, a relay host:port, or a domain. */
    String destinationKey();

    /**
     * Delivered here, as qmail-send hands the address to qmail-lspawn.
     *
     * @param address the recipient after rewriting, {@code user@domain}: with a virtual domain's
     *                prefix, as qmail writes it ({@code joe@example.com} under
     *                {@code example.com:fred} is {@code fred-joe@example.com})
     * @param user    the local part of {@code address}, which .qmail lookup starts from
     *                ({@code fred-joe})
     */
    record Local(String address, String user) implements Route {
        @Override
        public String destinationKey() {
            return LOCAL_KEY;
        }
    }

    /**
     * Sent to another host by SMTP.
     *
     * @param domain    the recipient's domain, lowercased: what MX lookups ask for (an address
     *                  literal stays in brackets, {@code [192.0.2.1]})
     * @param relayHost the host to connect to instead of the domain's MX: a host name to resolve, or
     *                  an IP address without brackets; null = look up the domain's MX
     * @param port      25, unless smtproutes names another
     */
    record Remote(String domain, String relayHost, int port) implements Route {
        @Override
        public String destinationKey() {
            if (relayHost == null) {
                return domain;
            }
            String host = relayHost.indexOf(':') >= 0 ? "[" + relayHost + "]" : relayHost;
            return host + ":" + port;
        }
    }
}
