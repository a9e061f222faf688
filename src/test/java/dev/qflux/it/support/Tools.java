package dev.qflux.it.support;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Finds the outside programs the integration tests drive. On a developer machine a missing program
 * skips the test (an assumption); under CI ({@code CI} set, where .ci/run installs every one of
 * them) it fails, so a green CI run always means the peers really ran.
 */
public final class Tools {
    /** Postfix's tools live in sbin, which a non-root PATH often lacks. */
    private static final List<String> EXTRA_DIRS = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    private Tools() {
    }

    /** Absolute path of the program, or skip (locally) / fail (CI) when it is not installed. */
    public static String require(String program) {
        Optional<Path> found = find(program);
        if (found.isEmpty()) {
            String why = program + " is not installed (.ci/run installs it)";
            if (onCi()) {
                throw new AssertionError(why);
            }
            Assumptions.assumeTrue(false, why);
        }
        return found.get().toString();
    }

    /** Skips (locally) or fails (CI) unless the test runs as root, e.g. to mount a tmpfs. */
    public static void requireRoot(String why) {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && onCi()) {
            throw new AssertionError("CI must run as root: " + why);
        }
        Assumptions.assumeTrue(root, "needs root: " + why);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    public static boolean onCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isEmpty() && !ci.equalsIgnoreCase("false");
    }

    static Optional<Path> find(String program) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(EXTRA_DIRS);
        for (String dir : dirs) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }
}
