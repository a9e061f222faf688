package dev.qflux.config;

import static dev.qflux.config.ConfDir.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryConfigLoaderTest {
    @TempDir
    Path tmp;

    @Test
    void onlyMeGivesQmailsDefaults() throws Exception {
        DeliveryConfig d = ConfDir.withMe(tmp).load().delivery();
        assertThat(d.concurrencyRemote()).isEqualTo(20);
        assertThat(d.concurrencyLocal()).isEqualTo(10);
        assertThat(d.concurrencyPerDestination()).isEqualTo(20);
        assertThat(d.queueLifetime()).isEqualTo(Duration.ofDays(7));
        assertThat(d.timeoutConnect()).isEqualTo(Duration.ofSeconds(60));
        assertThat(d.timeoutRemote()).isEqualTo(Duration.ofSeconds(1200));
        assertThat(d.bounceFrom()).isEqualTo("MAILER-DAEMON");
        assertThat(d.doubleBounceTo()).isEqualTo("postmaster");
        assertThat(d).extracting(DeliveryConfig::heloHost, DeliveryConfig::envNoAtHost,
                DeliveryConfig::bounceHost, DeliveryConfig::doubleBounceHost, DeliveryConfig::defaultDomain,
                DeliveryConfig::defaultHost, DeliveryConfig::plusDomain, DeliveryConfig::idHost)
                .containsOnly("mail.example.com");
        assertThat(d.percentHack().contains("mail.example.com")).isFalse();
        assertThat(d.virtualDomains().isEmpty()).isTrue();
        assertThat(d.smtpRoutes().relayFor("example.net")).isEmpty();
        assertThat(d.resolvers()).isEmpty();
    }

    @Test
    void everyFileIsRead() throws Exception {
        DeliveryConfig d = ConfDir.withMe(tmp)
                .control("concurrencyremote", "500\n")
                .control("concurrencylocal", "0\n")
                .control("concurrencyperdestination", "4\n")
                .control("queuelifetime", "0\n")
                .control("timeoutconnect", "5\n")
                .control("timeoutremote", "300\n")
                .control("helohost", "out.example.com\n")
                .control("envnoathost", "example.com\n")
                .control("bouncefrom", "bounces\n")
                .control("bouncehost", "b.example.com\n")
                .control("doublebounceto", "admin\n")
                .control("doublebouncehost", "d.example.com\n")
                .control("defaultdomain", "example.com\n")
                .control("defaulthost", "h.example.com\n")
                .control("plusdomain", "p.example.com\n")
                .control("idhost", "id.example.com\n")
                .control("percenthack", "# old gateways\nPct.Example.com\n")
                .control("virtualdomains", "example.org:alias-org\n")
                .control("smtproutes", ":smarthost.example.net:587\n")
                .control("resolver", "192.0.2.53\n[2001:db8::53]:5353\n")
                .load().delivery();
        assertThat(d.concurrencyRemote()).isEqualTo(500); // no qmail cap of 120
        assertThat(d.concurrencyLocal()).isZero();
        assertThat(d.concurrencyPerDestination()).isEqualTo(4);
        assertThat(d.queueLifetime()).isZero();
        assertThat(d.timeoutConnect()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.timeoutRemote()).isEqualTo(Duration.ofMinutes(5));
        assertThat(d.heloHost()).isEqualTo("out.example.com");
        assertThat(d.envNoAtHost()).isEqualTo("example.com");
        assertThat(d.bounceFrom()).isEqualTo("bounces");
        assertThat(d.bounceHost()).isEqualTo("b.example.com");
        assertThat(d.doubleBounceTo()).isEqualTo("admin");
        assertThat(d.doubleBounceHost()).isEqualTo("d.example.com");
        assertThat(d.defaultDomain()).isEqualTo("example.com");
        assertThat(d.defaultHost()).isEqualTo("h.example.com");
        assertThat(d.plusDomain()).isEqualTo("p.example.com");
        assertThat(d.idHost()).isEqualTo("id.example.com");
        assertThat(d.percentHack().contains("pct.example.COM")).isTrue();
        assertThat(d.percentHack().contains("sub.pct.example.com")).isFalse();
        assertThat(d.virtualDomains().prependFor("joe@example.org")).contains("alias-org");
        assertThat(d.smtpRoutes().relayFor("example.net")).contains(new SmtpRoutes.Relay("smarthost.example.net", 587));
        assertThat(d.resolvers()).containsExactly(new InetSocketAddress(ip("192.0.2.53"), 53),
                new InetSocketAddress(ip("2001:db8::53"), 5353));
    }

    @Test
    void emptyDoubleBounceToMeansDiscardAsInQmail() throws Exception {
        assertThat(ConfDir.withMe(tmp).control("doublebounceto", "\n").load().delivery().doubleBounceTo()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "concurrencyremote|-1|1: must be 0 or more: \"-1\"",
        "concurrencylocal|ten|1: not a number: \"ten\"",
        "concurrencyperdestination|0|1: must be 1 or more: \"0\"",
        "queuelifetime|1w|1: not a number: \"1w\"",
        "queuelifetime|3000000000|1: too large: \"3000000000\" (at most 2147483647)",
        "timeoutconnect|0|1: must be 1 or more: \"0\"",
        "timeoutremote|-5|1: must be 1 or more: \"-5\"",
        "helohost||1: empty; expected a host name",
        "envnoathost|user@example.com|1: a domain, not an address, is expected: \"user@example.com\"",
        "bouncehost|.example.com|1: not a host name: \".example.com\"",
        "idhost|a..b|1: empty label in domain: \"a..b\"",
        "bouncefrom||1: empty; expected the user part of an address",
        "bouncefrom|mailer daemon|1: the user part of an address, without blanks, '@' or ':': \"mailer daemon\"",
        "doublebounceto|postmaster@example.com|1: the user part of an address, without blanks, '@' or ':': \"postmaster@example.com\"",
        "percenthack|.example.com|1: only whole domains match here, so a leading dot never would: \".example.com\"",
        "virtualdomains|example.com|1: expected domain:prepend, user@domain:prepend or :prepend, got \"example.com\"",
        "smtproutes|example.com|1: expected domain:relay[:port], domain: or :relay, got \"example.com\"",
        "resolver|dns.example.net|1: resolver takes IP addresses, not host names: \"dns.example.net\"",
    })
    void badValuesNameFileAndLine(String file, String value, String error) {
        ConfDir conf = ConfDir.withMe(tmp).control(file, (value == null ? "" : value) + "\n");
        assertThatThrownBy(conf::load).isInstanceOf(ConfigException.class)
                .hasMessage(conf.control(file) + ":" + error);
    }

    @Test
    void badListEntryNamesItsLineAfterComments() {
        ConfDir conf = ConfDir.withMe(tmp).control("smtproutes", "# relays\nexample.com:relay.example.net\n\nexample.org:a:b\n");
        assertThatThrownBy(conf::load)
                .hasMessage(conf.control("smtproutes") + ":4: not a port number in \"a:b\"");
        conf.control("smtproutes", "").control("virtualdomains", "# v\nexample.com:x\nexample.com:y\n");
        assertThatThrownBy(conf::load)
                .hasMessage(conf.control("virtualdomains") + ":3: duplicate entry for \"example.com\", also on line 2");
        conf.control("virtualdomains", "").control("resolver", "192.0.2.1\n192.0.2.1:53\n");
        assertThatThrownBy(conf::load)
                .hasMessage(conf.control("resolver") + ":2: duplicate resolver \"192.0.2.1:53\", also on line 1");
    }
}
