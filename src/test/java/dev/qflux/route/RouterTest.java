package dev.qflux.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.config.ConfigLoader;
import dev.qflux.config.QfluxConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouterTest {
    @TempDir
    Path tmp;

    /** A router over a conf dir holding me = mail.example.com and the given control files (name, content, ...). */
    private Router router(String... files) throws Exception {
        Path control = Files.createDirectories(tmp.resolve("conf/control"));
        write(control.resolve("me"), "mail.example.com\n");
        for (int i = 0; i < files.length; i += 2) {
            write(control.resolve(files[i]), files[i + 1]);
        }
        QfluxConfig config = ConfigLoader.load(tmp.resolve("conf"));
        return new Router(config);
    }

    private static void write(Path file, String content) throws IOException {
        Files.writeString(file, content);
    }

    private static Route local(String address, String user) {
        return new Route.Local(address, user);
    }

    private static Route mx(String domain) {
        return new Route.Remote(domain, null, 25);
    }

    @Test
    void localsDeliverTheWholeLocalPartAndCompareDomainsWithoutCase() throws Exception {
        Router r = router("locals", "example.com\nlocalhost\n");
        assertThat(r.route("joe-list@Example.COM")).isEqualTo(local("joe-list@Example.COM", "joe-list"));
        assertThat(r.route("joe@example.com.")).isEqualTo(local("joe@example.com.", "joe"));
        assertThat(r.route("joe@sub.example.com")).isEqualTo(mx("sub.example.com"));
        assertThat(r.destinationKey("joe@localhost")).isEqualTo("local");
    }

    @Test
    void missingLocalsMeansMe() throws Exception {
        assertThat(router().route("joe@mail.example.com")).isEqualTo(local("joe@mail.example.com", "joe"));
    }

    @Test
    void recipientWithoutAtGetsEnvnoathost() throws Exception {
        assertThat(router().route("joe")).isEqualTo(local("joe@mail.example.com", "joe"));
        Router r = router("envnoathost", "example.net\n", "locals", "mail.example.com\n");
        assertThat(r.route("joe")).isEqualTo(mx("example.net"));
        assertThat(r.destinationKey("joe")).isEqualTo("example.net");
    }

    @Test
    void percenthackTurnsUserPercentHostIntoUserAtHost() throws Exception {
        Router r = router("percenthack", "gw.example.com\n", "locals", "mail.example.com\n");
        assertThat(r.route("joe%example.org@GW.example.com")).isEqualTo(mx("example.org"));
        assertThat(r.route("joe%mail.example.com@gw.example.com"))
                .isEqualTo(local("joe@mail.example.com", "joe"));
        // Only for listed domains: elsewhere % is an ordinary character.
        assertThat(r.route("joe%example.org@mail.example.com"))
                .isEqualTo(local("joe%example.org@mail.example.com", "joe%example.org"));
        // Listed but without %: unchanged.
        assertThat(r.route("joe@gw.example.com")).isEqualTo(mx("gw.example.com"));
    }

    @Test
    void percenthackRepeatsWhileTheNewDomainIsListedAndEnds() throws Exception {
        Router r = router("percenthack", "gw.example.com\ngw2.example.com\n");
        // The last % is taken first: a%b%gw2@gw -> a%b@gw2 -> a@b.
        assertThat(r.route("a%b.example%gw2.example.com@gw.example.com")).isEqualTo(mx("b.example"));
        // A chain that keeps naming listed domains ends when the % run out.
        assertThat(r.route("a%gw.example.com%gw.example.com%gw.example.com@gw.example.com"))
                .isEqualTo(mx("gw.example.com"));
        assertThat(r.route("%%%@gw.example.com")).isEqualTo(mx(""));
    }

    @Test
    void virtualDomainPrependsToTheLocalPart() throws Exception {
        Router r = router("virtualdomains", "example.org:fred\n");
        assertThat(r.route("joe@Example.ORG")).isEqualTo(local("fred-joe@Example.ORG", "fred-joe"));
        assertThat(r.route("joe-ext@example.org")).isEqualTo(local("fred-joe-ext@example.org", "fred-joe-ext"));
        assertThat(r.destinationKey("joe@example.org")).isEqualTo("local");
    }

    @Test
    void virtualdomainsPrecedenceIsQmailSends() throws Exception {
        Router r = router("virtualdomains", """
                :all
                .example.org:wild
                .b.example.org:deeper
                b.example.org:dom
                boss@b.example.org:bossbox
                """);
        assertThat(r.route("boss@b.example.org")).isEqualTo(local("bossbox-boss@b.example.org", "bossbox-boss"));
        assertThat(r.route("joe@b.example.org")).isEqualTo(local("dom-joe@b.example.org", "dom-joe"));
        assertThat(r.route("joe@c.b.example.org")).isEqualTo(local("deeper-joe@c.b.example.org", "deeper-joe"));
        assertThat(r.route("joe@c.example.org")).isEqualTo(local("wild-joe@c.example.org", "wild-joe"));
        assertThat(r.route("joe@example.org")).isEqualTo(local("all-joe@example.org", "all-joe"));
        assertThat(r.route("joe@elsewhere.example")).isEqualTo(local("all-joe@elsewhere.example", "all-joe"));
    }

    @Test
    void localsComeBeforeVirtualdomains() throws Exception {
        Router r = router("locals", "example.com\n", "virtualdomains", "example.com:v\n:all\n");
        assertThat(r.route("joe@example.com")).isEqualTo(local("joe@example.com", "joe"));
    }

    @Test
    void emptyPrependIsAnExceptionThatGoesRemote() throws Exception {
        Router r = router("virtualdomains", ":all\n.example.org:wild\nout.example.org:\nvip@in.example.org:\n");
        assertThat(r.route("joe@out.example.org")).isEqualTo(mx("out.example.org"));
        assertThat(r.route("vip@in.example.org")).isEqualTo(mx("in.example.org"));
        assertThat(r.route("joe@in.example.org")).isEqualTo(local("wild-joe@in.example.org", "wild-joe"));
    }

    @Test
    void percenthackHappensBeforeVirtualdomains() throws Exception {
        Router r = router("percenthack", "gw.example.com\n", "virtualdomains", "example.org:org\n");
        assertThat(r.route("joe%example.org@gw.example.com")).isEqualTo(local("org-joe@example.org", "org-joe"));
    }

    @Test
    void remoteByMxIsGroupedByDomain() throws Exception {
        Router r = router();
        assertThat(r.route("Joe@Example.NET")).isEqualTo(mx("example.net"));
        assertThat(r.destinationKey("joe@EXAMPLE.net.")).isEqualTo("example.net");
    }

    @Test
    void smtproutesPrecedenceIsQmailRemotes() throws Exception {
        Router r = router("smtproutes", """
                :smart.example.net:587
                .example.org:wild.example.net
                .b.example.org:deeper.example.net:2525
                b.example.org:[192.0.2.25]
                direct.example.org:
                """);
        assertThat(r.route("joe@b.example.org")).isEqualTo(new Route.Remote("b.example.org", "192.0.2.25", 25));
        assertThat(r.route("joe@c.b.example.org"))
                .isEqualTo(new Route.Remote("c.b.example.org", "deeper.example.net", 2525));
        assertThat(r.route("joe@c.example.org")).isEqualTo(new Route.Remote("c.example.org", "wild.example.net", 25));
        assertThat(r.route("joe@example.org")).isEqualTo(new Route.Remote("example.org", "smart.example.net", 587));
        assertThat(r.route("joe@direct.example.org")).isEqualTo(mx("direct.example.org"));
        assertThat(r.route("joe@sub.direct.example.org"))
                .isEqualTo(new Route.Remote("sub.direct.example.org", "wild.example.net", 25));
    }

    @Test
    void smtproutesDoNotApplyToLocalMail() throws Exception {
        Router r = router("smtproutes", ":smart.example.net\n", "virtualdomains", "example.org:org\n");
        assertThat(r.route("joe@mail.example.com")).isEqualTo(local("joe@mail.example.com", "joe"));
        assertThat(r.route("joe@example.org")).isEqualTo(local("org-joe@example.org", "org-joe"));
    }

    @Test
    void destinationKeyIsTheRelayWhenSmtproutesNamesOne() throws Exception {
        Router r = router("smtproutes", "a.example:relay.example.net\nb.example:relay.example.net\n"
                + "c.example:relay.example.net:2525\nd.example:[2001:db8::25]:587\n");
        assertThat(r.destinationKey("x@a.example")).isEqualTo("relay.example.net:25")
                .isEqualTo(r.destinationKey("y@B.example"));
        assertThat(r.destinationKey("x@c.example")).isEqualTo("relay.example.net:2525");
        assertThat(r.destinationKey("x@d.example")).isEqualTo("[2001:db8::25]:587");
    }

    @Test
    void addressLiteralGoesToThatAddress() throws Exception {
        Router r = router();
        assertThat(r.route("joe@[192.0.2.1]")).isEqualTo(new Route.Remote("[192.0.2.1]", "192.0.2.1", 25));
        assertThat(r.route("joe@[IPv6:2001:DB8::1]"))
                .isEqualTo(new Route.Remote("[ipv6:2001:db8::1]", "2001:db8::1", 25));
        assertThat(r.destinationKey("joe@[192.0.2.1]")).isEqualTo("192.0.2.1:25");
        assertThat(r.destinationKey("joe@[IPv6:2001:db8::1]")).isEqualTo("[2001:db8::1]:25");
        // Not an address: no relay, so the MX lookup of the name fails as qmail-remote's would.
        assertThat(r.route("joe@[not.an.address]")).isEqualTo(mx("[not.an.address]"));
        assertThat(r.route("joe@[2001:db8::1]")).isEqualTo(mx("[2001:db8::1]")); // RFC 5321 needs the IPv6: tag
    }

    @Test
    void smarthostTakesAddressLiteralsToo() throws Exception {
        Router r = router("smtproutes", ":smart.example.net\n");
        assertThat(r.route("joe@[192.0.2.1]")).isEqualTo(new Route.Remote("[192.0.2.1]", "smart.example.net", 25));
    }

    @Test
    void shippedConfRoutesLocalhostHereAndTheRestByMx() throws Exception {
        Router r = new Router(ConfigLoader.load(Path.of("conf")));
        assertThat(r.route("postmaster")).isEqualTo(local("postmaster@localhost", "postmaster"));
        assertThat(r.route("joe@example.com")).isEqualTo(mx("example.com"));
    }
}
