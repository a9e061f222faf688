package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the control file readers and parsers with whatever a file may hold: ControlFiles and
 * ControlReader (numbers, host names, domain lists, badmailfrom), tcp.smtp, smtproutes,
 * virtualdomains and listen. Invariant: the only failure is a ConfigException naming the file
 * (and line); a parsed result answers its lookups without throwing.
 */
class ControlFilesFuzzTest {
    private static Path dir;
    private static Path control;

    @BeforeAll
    static void makeDir() throws IOException {
        dir = Files.createTempDirectory("qflux-config-fuzz");
        control = Files.createDirectories(dir.resolve("control"));
    }

    @AfterAll
    static void removeDir() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @FuzzTest(maxDuration = "10m")
    void controlReader(byte[] content) throws IOException {
        Path file = write("value", content);
        ControlReader reader = new ControlReader(control);
        only(file, () -> reader.number("value", 7, 0, Integer.MAX_VALUE));
        only(file, () -> reader.hostName("value"));
        only(file, () -> reader.text("value"));
        only(file, () -> reader.domains("value", true));
        only(file, () -> reader.addresses("value"));
        only(file, () -> reader.directory("value", dir));
    }

    @FuzzTest(maxDuration = "10m")
    void tcpRules(byte[] content) throws IOException {
        Path file = write("tcp.smtp", content);
        TcpRules rules = only(file, () -> TcpRulesParser.parse(entries(file)));
        if (rules != null) {
            for (String ip : new String[] {"127.0.0.1", "192.0.2.7", "10.1.2.3", "::1", "2001:db8::7"}) {
                AccessRule rule = rules.match(address(ip));
                assertThat(rule).isNotNull();
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void smtpRoutes(byte[] content) throws IOException {
        Path file = write("smtproutes", content);
        SmtpRoutes routes = only(file, () -> SmtpRoutes.parse(entries(file)));
        if (routes != null) {
            for (String domain : new String[] {"example.com", "a.b.example.com", "", "[192.0.2.1]"}) {
                routes.relayFor(domain).ifPresent(relay -> assertThat(relay.port()).isBetween(1, 65535));
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void virtualDomains(byte[] content) throws IOException {
        Path file = write("virtualdomains", content);
        VirtualDomains v = only(file, () -> VirtualDomains.parse(entries(file)));
        if (v != null) {
            for (String a : new String[] {"joe@example.com", "joe@a.example.com", "joe@", "@"}) {
                v.prependFor(a).ifPresent(p -> assertThat(p).doesNotContain("\n", "\r", "\0"));
            }
        }
    }

    @FuzzTest(maxDuration = "10m")
    void listen(byte[] content) throws IOException {
        Path file = write("listen", content);
        List<ListenSpec> specs = only(file, () -> ListenParser.parse(entries(file)));
        if (specs != null) {
            for (ListenSpec spec : specs) {
                assertThat(ListenParser.PROTOCOLS).contains(spec.protocol());
                assertThat(spec.address().getPort()).isBetween(0, 65535);
            }
        }
    }

    private interface Read<T> {
        T get() throws ConfigException;
    }

    /** The result, or null after a ConfigException that names the file; anything else fails. */
    private static <T> T only(Path file, Read<T> read) {
        try {
            return read.get();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith(file.toString() + ":");
            return null;
        }
    }

    private static List<ControlLine> entries(Path file) throws ConfigException {
        Optional<List<ControlLine>> lines = ControlFiles.entries(file);
        assertThat(lines).isPresent();
        return lines.get();
    }

    private static Path write(String name, byte[] content) throws IOException {
        Path file = control.resolve(name);
        Files.write(file, content);
        return file;
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new UncheckedIOException(e);
        }
    }
}
