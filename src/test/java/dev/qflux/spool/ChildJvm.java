package dev.qflux.spool;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small JVM running one of the crash tests' writer mains on the test class path, so it can be
 * halted or SIGKILLed without taking the test with it. Its stdout carries the answers it got.
 */
final class ChildJvm {
    private ChildJvm() {
    }

    static Process start(Class<?> main, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx128m");
        command.add("-XX:TieredStopAtLevel=1");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        command.add(main.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static BufferedReader stdout(Process child) {
        return new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.US_ASCII));
    }
}
