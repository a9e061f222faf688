package dev.qflux.route;

import dev.qflux.config.DeliveryConfig;
import dev.qflux.config.DomainSet;
import dev.qflux.config.QfluxConfig;
import dev.qflux.config.SmtpRoutes;
import dev.qflux.config.VirtualDomains;
import io.netty.util.NetUtil;
import java.util.Locale;
import java.util.Optional;

/**
 * Routes recipients as qmail does: qmail-send's rewriting (envnoathost, percenthack, locals,
 * virtualdomains), then qmail-remote's smtproutes for what is not local. Immutable and pure: a
 * reload builds a new Router. Every call costs a few hash lookups per label and no I/O, so it
 * may run on any thread.
 */
public final class Router {
    private final DomainSet locals;
    private final String envNoAtHost;
    private final DomainSet percentHack;
    private final VirtualDomains virtualDomains;
    private final SmtpRoutes smtpRoutes;

    public Router(QfluxConfig config) {
        DeliveryConfig delivery = config.delivery();
        this.locals = config.locals();
        this.envNoAtHost = delivery.envNoAtHost();
        this.percentHack = delivery.percentHack();
        this.virtualDomains = delivery.virtualDomains();
        this.smtpRoutes = delivery.smtpRoutes();
    }

    /** Where {@code recipient} (an envelope address, without angle brackets) goes. */
    public Route route(String recipient) {
        String address = rewrite(recipient);
        int at = address.lastIndexOf('@');
        String local = address.substring(0, at);
        String domain = domainOf(address.substring(at + 1));
        if (locals.contains(domain)) {
            return new Route.Local(address, local);
        }
        Optional<String> prepend = virtualDomains.prependFor(local + "@" + domain);
        if (prepend.isPresent()) {
            String user = prepend.get() + "-" + local;
            return new Route.Local(user + address.substring(at), user);
        }
        return remote(domain);
    }

    /** What the deliveries to {@code recipient} are grouped and limited by; see {@link Route#destinationKey()}. */
    public String destinationKey(String recipient) {
        return route(recipient).destinationKey();
    }

    /**
     * qmail-send's rewrite(): a recipient without {@code @} gets {@code @envnoathost}; while the
     * domain is in percenthack, {@code user%host@domain} becomes {@code user@host} (the last
     * {@code %} first). Each turn removes a {@code %}, so the loop ends within the local part's length.
     */
    private String rewrite(String recipient) {
        String address = recipient.lastIndexOf('@') < 0 ? recipient + "@" + envNoAtHost : recipient;
        int at = address.lastIndexOf('@');
        while (percentHack.contains(address.substring(at + 1))) {
            int percent = address.lastIndexOf('%', at - 1);
            if (percent < 0) {
                break;
            }
            address = address.substring(0, percent) + "@" + address.substring(percent + 1, at);
            at = percent;
        }
        return address;
    }

    private Route remote(String domain) {
        Optional<SmtpRoutes.Relay> relay = smtpRoutes.relayFor(domain);
        if (relay.isPresent()) {
            return new Route.Remote(domain, relay.get().host(), relay.get().port());
        }
        String literal = addressLiteral(domain);
        return new Route.Remote(domain, literal, SmtpRoutes.SMTP_PORT);
    }

    /**
     * The address in an address literal ({@code [192.0.2.1]}, {@code [IPv6:2001:db8::1]}, RFC 5321
     * 4.1.3), which is connected to directly as qmail-remote does; null for a domain, or for a
     * literal that holds no address (its MX lookup then fails as it should).
     */
    private static String addressLiteral(String domain) {
        if (domain.length() < 3 || domain.charAt(0) != '[' || domain.charAt(domain.length() - 1) != ']') {
            return null;
        }
        String inside = domain.substring(1, domain.length() - 1);
        if (NetUtil.isValidIpV4Address(inside)) {
            return inside;
        }
        String v6 = inside.startsWith("ipv6:") ? inside.substring(5) : null;
        if (v6 != null && NetUtil.isValidIpV6Address(v6)) {
            return NetUtil.bytesToIpAddress(NetUtil.createByteArrayFromIpAddressString(v6));
        }
        return null;
    }

    /** Lowercased, without a trailing dot, as the domain files are written. */
    private static String domainOf(String domain) {
        String d = domain.endsWith(".") ? domain.substring(0, domain.length() - 1) : domain;
        return d.toLowerCase(Locale.ROOT);
    }
}
