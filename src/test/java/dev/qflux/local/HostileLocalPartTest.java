package dev.qflux.local;

import static dev.qflux.local.LocalFixture.crlf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.deliver.RecipientOutcome;
import dev.qflux.route.Route;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Local parts written to escape: whatever the extension holds, the {@code .qmail} file read is one
 * in the home (or alias) directory, a canary file outside stays untouched, nothing else is
 * created, and a program line gets the extension only in its environment (EXT), never in its
 * command line, so shell syntax in an address runs nothing.
 */
class HostileLocalPartTest {
    private static final String MESSAGE = "Subject: hostile\n\nbody\n";
    /** Writes which file ran and the EXT it got, byte for byte. */
    private static final String DEFAULT_PROGRAM = "|printf 'default:%s' \"$EXT\" > ext.out\n";
    private static final String FOO_PROGRAM = "|printf 'foo:%s' \"$EXT\" > ext.out\n";
    private static final String CANARY = "canary: not to be read or written\n";
    /** What a .qmail outside the home would do if it were ever followed. */
    private static final String TRAP = "|touch pwned-by-trap\n";

    @TempDir
    Path temp;
    LocalFixture fx;
    Path canary;
    FileTime canaryTime;
    Set<String> before;

    @BeforeEach
    void setUp() throws IOException {
        assertThat(UserProcesses.currentUid()).as("these tests need root").isZero();
        fx = new LocalFixture(temp);
        fx.assign("+joe-:nobody:" + LocalFixture.NOBODY + ":" + LocalFixture.NOBODY + ":" + fx.home + ":-::\n.\n");
        for (Path dir : new Path[] {fx.home, fx.aliasDir}) {
            fx.file(dir, ".qmail-default", DEFAULT_PROGRAM);
            fx.file(dir, ".qmail-foo", FOO_PROGRAM);
            // a directory named like a .qmail prefix: with it, ".qmail-x/../../trap" would resolve
            Files.createDirectories(dir.resolve(".qmail-x"));
            LocalFixture.chown(dir.resolve(".qmail-x"));
        }
        fx.file(temp, "trap", TRAP);
        fx.file(temp, ".qmail-default", TRAP);
        canary = fx.file(temp, "canary", CANARY);
        canaryTime = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(canary, canaryTime);
        before = tree();
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "../../canary", "x/../../trap", "a/b", "/etc/passwd", "-;cmd;",
        "-;touch pwned;", "$(touch pwned)", "`touch pwned`", "x'\"; touch pwned; '", "%2e%2e", "%2e%2e%2ftrap",
        ".", "..", "...", "a..b", "x/..", "FOO", "Foo-Bar", "a\\b", "a\nb", "-", "--"})
    void anExtensionOfAUserStaysInTheHomeAndOnlyInTheEnvironment(String ext) throws IOException {
        RecipientOutcome outcome = fx.deliver("ann@example.org", "joe-" + ext + "@" + LocalFixture.HOST, crlf(MESSAGE));

        String lower = ext.toLowerCase(Locale.ROOT); // users/assign lookups are lowercased (qmail-lspawn)
        assertThat(outcome).as(ext).isEqualTo(new RecipientOutcome.Delivered("did 0+0+1/"));
        assertThat(Files.readString(fx.home.resolve("ext.out"))).isEqualTo(
                (lower.equals("foo") ? "foo:" : "default:") + lower);
        assertNothingElseTouched(fx.home.resolve("ext.out"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"../x", "../../canary", "x/../../trap", "a/b", "-;touch pwned;", "$(touch pwned)",
        "%2e%2e", ".", "..", "a..b", "FOO"})
    void aLocalPartOfTheAliasUserStaysInTheAliasDirectory(String local) throws IOException {
        RecipientOutcome outcome = fx.deliver("ann@example.org", local + "@" + LocalFixture.HOST, crlf(MESSAGE));

        assertThat(outcome).as(local).isEqualTo(new RecipientOutcome.Delivered("did 0+0+1/"));
        assertThat(Files.readString(fx.aliasDir.resolve("ext.out")))
                .isEqualTo((local.equalsIgnoreCase("foo") ? "foo:" : "default:") + local);
        assertNothingElseTouched(fx.aliasDir.resolve("ext.out"));
    }

    @Test
    void aThousandCharacterExtensionFallsBackToTheDefaultFile() throws IOException {
        String ext = "y".repeat(1000); // longer than a file name may be (255 octets): ENAMETOOLONG
        RecipientOutcome outcome = fx.deliver("ann@example.org", "joe-" + ext + "@" + LocalFixture.HOST, crlf(MESSAGE));

        assertThat(outcome).isEqualTo(new RecipientOutcome.Delivered("did 0+0+1/"));
        assertThat(Files.readString(fx.home.resolve("ext.out"))).isEqualTo("default:" + ext);
        assertNothingElseTouched(fx.home.resolve("ext.out"));
    }

    @Test
    void aThousandDotDotExtensionFallsBackToTheDefaultFile() throws IOException {
        String ext = "../".repeat(333) + "x";
        RecipientOutcome outcome = fx.deliver("ann@example.org", "joe-" + ext + "@" + LocalFixture.HOST, crlf(MESSAGE));

        assertThat(outcome).isEqualTo(new RecipientOutcome.Delivered("did 0+0+1/"));
        assertThat(Files.readString(fx.home.resolve("ext.out"))).isEqualTo("default:" + ext);
        assertNothingElseTouched(fx.home.resolve("ext.out"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\0b", "\0", "../\0", "\0/../../trap"})
    void aNulInTheLocalPartFailsWithoutRunningAnything(String ext) throws IOException {
        RecipientOutcome viaUser = fx.deliver("ann@example.org", "joe-" + ext + "@" + LocalFixture.HOST, crlf(MESSAGE));
        RecipientOutcome viaAlias = fx.deliver("ann@example.org", ext + "@" + LocalFixture.HOST, crlf(MESSAGE));

        // No file name and no environment variable can hold a NUL: no mailbox can have this name.
        assertThat(viaUser).isEqualTo(new RecipientOutcome.Failed(RecipientDelivery.UNNAMEABLE));
        assertThat(viaAlias).isEqualTo(new RecipientOutcome.Failed(RecipientDelivery.UNNAMEABLE));
        assertThat(fx.delivery().accepts(new Route.Local(ext + "@" + LocalFixture.HOST, ext))).isFalse();
        assertThat(fx.delivery().accepts(new Route.Local("joe-" + ext + "@" + LocalFixture.HOST, "joe-" + ext)))
                .isFalse();
        assertNothingElseTouched(null);
    }

    @Test
    void withoutADefaultFileHostileAliasAddressesAreNotAccepted() throws IOException {
        // an alias directory with no .qmail file at all
        try (LocalFixture fresh = new LocalFixture(Files.createDirectories(temp.resolve("fresh")))) {
            for (String local : new String[] {"../x", "a/b", "%2e%2e", ".", "..", "-;cmd;", "FOO/..", "y".repeat(1000)}) {
                assertThat(fresh.delivery().accepts(new Route.Local(local + "@" + LocalFixture.HOST, local)))
                        .as(local).isFalse();
            }
        }
    }

    /** The canary is as it was, and the only new file is {@code expected} (or none). */
    private void assertNothingElseTouched(Path expected) throws IOException {
        assertThat(Files.readString(canary)).isEqualTo(CANARY);
        assertThat(Files.getLastModifiedTime(canary)).isEqualTo(canaryTime);
        Set<String> after = tree();
        Set<String> added = new TreeSet<>(after);
        added.removeAll(before);
        if (expected == null) {
            assertThat(added).isEmpty();
        } else {
            assertThat(added).containsExactly(temp.relativize(expected).toString());
        }
        assertThat(after).containsAll(before);
    }

    private Set<String> tree() {
        try (Stream<Path> all = Files.walk(temp)) {
            Set<String> names = new TreeSet<>();
            all.forEach(p -> names.add(temp.relativize(p).toString()));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
