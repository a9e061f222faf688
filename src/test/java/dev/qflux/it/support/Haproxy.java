package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * HAProxy in TCP mode in front of one backend on 127.0.0.1, passing each client's address with a
 * PROXY protocol v2 header ({@code send-proxy-v2}), as a load balancer in front of qflux would.
 * Runs in the foreground ({@code -db}) and is stopped by its PID.
 */
public final class Haproxy implements AutoCloseable {
    private static final Duration START_BOUND = Duration.ofSeconds(30);

    private final ExternalProcess process;
    private final int frontPort;

    private Haproxy(ExternalProcess process, int frontPort) {
        this.process = process;
        this.frontPort = frontPort;
    }

    /** Listens on 127.0.0.1:frontPort and forwards to 127.0.0.1:backendPort with PROXY v2. */
    public static Haproxy startProxyV2(Path workDir, int frontPort, int backendPort) {
        FreePort.assertFree(frontPort);
        // No health checks: each one would be a connection (with a PROXY header) the backend logs.
        String config = String.join("\n",
                "global",
                "    maxconn 256",
                "defaults",
                "    mode tcp",
                "    timeout connect 10s",
                "    timeout client 120s",
                "    timeout server 120s",
                "frontend smtp_in",
                "    bind 127.0.0.1:" + frontPort,
                "    default_backend qflux",
                "backend qflux",
                "    server s1 127.0.0.1:" + backendPort + " send-proxy-v2",
                "");
        return start(workDir, frontPort, config);
    }

    /** Runs haproxy with a configuration the test wrote, once it listens on 127.0.0.1:frontPort. */
    public static Haproxy start(Path workDir, int frontPort, String config) {
        String program = Tools.require("haproxy");
        Path file = workDir.resolve("haproxy-" + frontPort + ".cfg");
        try {
            Files.createDirectories(workDir);
            Files.writeString(file, config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ExternalProcess p = ExternalProcess.start("haproxy", workDir,
                List.of(program, "-db", "-f", file.toString()));
        p.awaitCondition(START_BOUND, () -> FreePort.isListening(frontPort),
                "never listened on " + frontPort);
        return new Haproxy(p, frontPort);
    }

    public int frontPort() {
        return frontPort;
    }

    public long pid() {
        return process.pid();
    }

    public String output() {
        return process.output();
    }

    @Override
    public void close() {
        process.close();
    }
}
