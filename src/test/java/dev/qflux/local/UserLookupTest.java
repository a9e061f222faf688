package dev.qflux.local;

import static dev.qflux.local.LocalFixture.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.route.Route;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Who gets a local address: users/assign, then passwd, then the alias user; and the RCPT check. */
class UserLookupTest {
    @TempDir
    Path temp;
    LocalFixture fx;

    @BeforeEach
    void setUp() {
        fx = new LocalFixture(temp);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void exactBeatsPrefixAndLongerPrefixBeatsShorter() throws Exception {
        UsersAssign assign = UsersAssign.parse(Path.of("assign"), String.join("\n",
                "+:catchall:1001:1001:/home/catchall:-::",
                "+jo:short:1002:1002:/home/short:-:s:",
                "+joe-:long:1003:1003:/home/long:-:l-:",
                "=joe-x:exact:1004:1004:/home/exact:-:ext:",
                ".", "ignored after the dot"));

        assertThat(assign.find("joe-x").orElseThrow()).extracting(LocalUser::name, LocalUser::ext)
                .containsExactly("exact", "ext");
        assertThat(assign.find("joe-y").orElseThrow()).extracting(LocalUser::name, LocalUser::ext, LocalUser::dash)
                .containsExactly("long", "l-y", "-");
        assertThat(assign.find("jox").orElseThrow()).extracting(LocalUser::name, LocalUser::ext)
                .containsExactly("short", "sx");
        assertThat(assign.find("zed").orElseThrow()).extracting(LocalUser::name, LocalUser::uid, LocalUser::home)
                .containsExactly("catchall", 1001, Path.of("/home/catchall"));
    }

    @Test
    void badUsersAssignNamesFileAndLine() {
        Path file = Path.of("conf/users/assign");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UsersAssign.parse(file, "=joe:joe:x:1:/h:::\n.\n"))
                .hasMessage("conf/users/assign:1: uid is not a number: \"x\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UsersAssign.parse(file, "=joe:joe:1:1:/h:::\n"))
                .hasMessageContaining("conf/users/assign: missing the final line \".\"");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> UsersAssign.parse(file, "\n=joe:joe:1:1:/h::\n.\n"))
                .hasMessageStartingWith("conf/users/assign:2: expected =local:user:uid:gid:homedir:dash:ext:");
    }

    @Test
    void passwdUsersFollowQmailGetpwsRules() throws Exception {
        Path rootOwned = Files.createDirectories(temp.resolve("rootowned"));
        Files.writeString(fx.passwd, String.join("\n",
                "root:x:0:0:root:" + fx.home + ":/bin/sh",
                "joe:x:65534:65534::" + fx.home + ":/bin/sh",
                "joe-list:x:65534:65534::" + fx.home + ":/bin/sh",
                "Upper:x:65534:65534::" + fx.home + ":/bin/sh",
                "stale:x:65534:65534::" + rootOwned + ":/bin/sh", ""));
        LocalDelivery d = fx.delivery();

        assertThat(d.accepts(local("joe"))).isTrue();
        assertThat(d.accepts(local("JOE-anything"))).isTrue(); // lowercased; extensions checked at delivery
        assertThat(d.accepts(local("root"))).isFalse();        // uid 0: only through the alias user
        assertThat(d.accepts(local("upper"))).isFalse();       // qmail-getpw: only lowercase names
        assertThat(d.accepts(local("stale"))).isFalse();       // does not own its home

        UserResolver resolver = new UserResolver(UsersAssign.empty(), database(fx));
        assertThat(resolver.resolve("joe-list-x")).extracting(LocalUser::name, LocalUser::ext)
                .containsExactly("joe-list", "x");
        assertThat(resolver.resolve("joe-other")).extracting(LocalUser::name, LocalUser::ext, LocalUser::dash)
                .containsExactly("joe", "other", "-");
        assertThat(resolver.resolve("Joe")).extracting(LocalUser::name, LocalUser::ext, LocalUser::dash)
                .containsExactly("joe", "", "");
    }

    @Test
    void usersAssignComesBeforePasswd() throws Exception {
        Path other = Files.createDirectories(temp.resolve("other"));
        LocalFixture.chown(other);
        Files.writeString(fx.passwd, "joe:x:65534:65534::" + fx.home + ":/bin/sh\n");
        fx.assignExact("joe", other, "");
        fx.file(other, ".qmail", "&assigned@example.net\n");
        fx.file(fx.home, ".qmail", "&passwd@example.net\n");

        fx.deliver("a@example.org", "joe@mail.example.com", crlf("Subject: x\n\nx\n"));

        assertThat(fx.forwarded).extracting(f -> f.recipients().get(0)).containsExactly("assigned@example.net");
    }

    @Test
    void aliasUserTakesPostmasterRootAndUnknowns() throws Exception {
        Files.writeString(fx.passwd, "root:x:0:0:root:/root:/bin/sh\n");
        fx.file(fx.aliasDir, ".qmail-postmaster", "&pm@example.net\n");
        fx.file(fx.aliasDir, ".qmail-root", "&admin@example.net\n");
        LocalDelivery d = fx.delivery();

        assertThat(d.accepts(local("postmaster"))).isTrue();
        assertThat(d.accepts(local("Root"))).isTrue();
        assertThat(d.accepts(local("nobody-here"))).isFalse(); // no .qmail-default: refused at RCPT

        fx.deliver("a@example.org", "postmaster@mail.example.com", crlf("Subject: x\n\nx\n"));
        fx.deliver("a@example.org", "root@mail.example.com", crlf("Subject: x\n\nx\n"));
        RecipientOutcome unknown = fx.deliver("a@example.org", "nobody-here@mail.example.com", crlf("Subject: x\n\nx\n"));
        assertThat(fx.forwarded).extracting(f -> f.recipients().get(0)).containsExactly("pm@example.net", "admin@example.net");
        assertThat(unknown).isEqualTo(new RecipientOutcome.Failed("Sorry, no mailbox here by that name. (#5.1.1)"));
    }

    @Test
    void aliasDefaultCatchesEverythingAndChangesAreSeenWithoutRestart() throws Exception {
        LocalDelivery d = fx.delivery();
        assertThat(d.accepts(local("someone"))).isFalse();

        fx.file(fx.aliasDir, ".qmail-default", "./Maildir/\n");
        fx.maildir(fx.aliasDir.resolve("Maildir"));
        Files.writeString(fx.passwd, "newuser:x:65534:65534::" + fx.home + ":/bin/sh\n");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!(d.accepts(local("someone")) && d.accepts(local("newuser"))) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos()); // waiting for the 5 s recheck
        }
        assertThat(d.accepts(local("someone"))).isTrue();
        assertThat(d.accepts(local("newuser"))).isTrue();

        assertThat(fx.deliver("a@example.org", "someone@mail.example.com", crlf("Subject: x\n\nx\n")))
                .isInstanceOf(RecipientOutcome.Delivered.class);
        assertThat(LocalFixture.readWithPython("maildir", fx.aliasDir.resolve("Maildir"))).singleElement()
                .satisfies(m -> assertThat(m).contains("Delivered-To: someone@mail.example.com\n"));
    }

    @Test
    void acceptsNeverBlocksSoItMayRunOnAParallelThread() {
        fx.file(fx.aliasDir, ".qmail-postmaster", "&pm@example.net\n");
        LocalDelivery d = fx.delivery();
        fx.file(fx.aliasDir, ".qmail-later", "&later@example.net\n");
        // Asked from a parallel thread until the recheck it schedules from there has seen the new file.
        Mono<Boolean> ask = Mono.fromCallable(() -> d.accepts(local("postmaster")) && !d.accepts(local("x"))
                        && d.accepts(local("later")))
                .subscribeOn(Schedulers.parallel());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        boolean accepted = false;
        while (!accepted && System.nanoTime() < deadline) {
            accepted = ask.block(LocalFixture.WAIT);
            LockSupport.parkNanos(Duration.ofMillis(50).toNanos());
        }
        assertThat(accepted).isTrue();
    }

    private static Route.Local local(String user) {
        return new Route.Local(user + "@mail.example.com", user);
    }

    private static UserDatabase database(LocalFixture fx) {
        UserDatabase db = new UserDatabase(fx.passwd, fx.aliasDir);
        db.refresh();
        return db;
    }
}
