package dev.qflux.smtp.server;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every transcript under resources/dev/qflux/smtp/server/transcripts against a fresh server.
 * A transcript's {@code @file value} lines set conf files for it ({@code @control/databytes 1000},
 * {@code @tcp.smtp :allow}); {@code \n} in a value separates lines.
 */
class TranscriptTest {
    @TempDir
    Path dir;

    static Stream<String> transcripts() throws IOException, URISyntaxException {
        Path root = Path.of(TranscriptTest.class.getResource("transcripts").toURI());
        try (Stream<Path> files = Files.list(root)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".txt"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("transcripts")
    void transcript(String name) throws Exception {
        Path file = Path.of(TranscriptTest.class.getResource("transcripts/" + name).toURI());
        List<String> script = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, String> conf = new LinkedHashMap<>();
        for (String line : script) {
            if (line.startsWith("@")) {
                int sp = line.indexOf(' ');
                conf.put(line.substring(1, sp), line.substring(sp + 1).replace("\\n", "\n"));
            }
        }
        try (ServerFixture server = ServerFixture.start(dir, conf)) {
            try {
                TranscriptRunner.run(name, script, server.address(), server::queued);
            } catch (AssertionError | IOException e) {
                throw new AssertionError(e.getMessage() + "\nserver log:\n" + server.log(), e);
            }
        }
    }
}
