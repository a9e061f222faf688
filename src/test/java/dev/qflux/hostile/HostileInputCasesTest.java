package dev.qflux.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the hostile-input table of docs/security.md true: every case it names is a test method
 * whose source holds every reply the table lists for it, and every class of this suite is in it.
 */
class HostileInputCasesTest {
    static final Path DOC = Path.of("docs", "security.md");
    static final String SECTION = "## Hostile input";
    static final Path TESTS = Path.of("src", "test", "java");
    /** A table row: `Class.method` in the first cell, then input, replies, other checks. */
    static final Pattern ROW = Pattern.compile("^\\| `(\\w+)\\.(\\w+)` \\|([^|]*)\\|([^|]*)\\|([^|]*)\\|$");
    static final Pattern CODE = Pattern.compile("`([^`]+)`");
    static final Pattern REPLY = Pattern.compile("[2-5][0-9][0-9] .*");

    record Case(String testClass, String method, List<String> replies) {
    }

    static List<Case> cases() throws IOException {
        List<String> lines = Files.readAllLines(DOC);
        int start = lines.indexOf(lines.stream().filter(l -> l.startsWith(SECTION)).findFirst()
                .orElseThrow(() -> new AssertionError(DOC + " has no section " + SECTION)));
        List<Case> cases = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            Matcher row = ROW.matcher(line);
            if (!row.matches()) {
                assertThat(line).as("a row the check cannot read").doesNotStartWith("| `");
                continue;
            }
            List<String> replies = new ArrayList<>();
            Matcher code = CODE.matcher(row.group(4));
            while (code.find()) {
                if (REPLY.matcher(code.group(1)).matches()) {
                    replies.add(code.group(1));
                }
            }
            cases.add(new Case(row.group(1), row.group(2), replies));
        }
        return cases;
    }

    static Map<String, Path> testSources() throws IOException {
        try (Stream<Path> files = Files.walk(TESTS)) {
            return files.filter(p -> p.getFileName().toString().endsWith("Test.java"))
                    .collect(Collectors.toMap(p -> p.getFileName().toString().replace(".java", ""),
                            Function.identity(), (a, b) -> a));
        }
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void everyListedCaseIsATestHoldingItsReplies() throws IOException {
        List<Case> cases = cases();
        assertThat(cases).hasSizeGreaterThan(30);
        Map<String, Path> sources = testSources();
        for (Case c : cases) {
            assertThat(sources).as("test class of %s.%s", c.testClass(), c.method()).containsKey(c.testClass());
            String source = read(sources.get(c.testClass()));
            assertThat(source).as("%s has a test method %s", c.testClass(), c.method())
                    .containsPattern("void " + c.method() + "\\(");
            for (String reply : c.replies()) {
                assertThat(source).as("%s.%s checks the listed reply", c.testClass(), c.method()).contains(reply);
            }
        }
    }

    @Test
    void everyClassOfTheHostileSuiteIsListed() throws IOException {
        Set<String> listed = cases().stream().map(Case::testClass).collect(Collectors.toSet());
        Set<String> suite = new TreeSet<>();
        try (Stream<Path> files = Files.list(TESTS.resolve("dev/qflux/hostile"))) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith("Test.java"))
                    .map(n -> n.replace(".java", "")).forEach(suite::add);
        }
        suite.remove(HostileInputCasesTest.class.getSimpleName());
        assertThat(listed).containsAll(suite);
    }
}
