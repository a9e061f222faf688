package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin endpoint as a load balancer, Prometheus or an operator's script reaches it: through
 * curl, with or without the bearer token of {@code conf/admin.token}.
 */
public final class AdminCurl {
    private static final Duration BOUND = Duration.ofSeconds(60);

    /** Status code and body of one request. */
    public record Answer(int status, String body) {
    }

    private final int port;
    private final Path confDir;

    private AdminCurl(int port, Path confDir) {
        this.port = port;
        this.confDir = confDir;
    }

    public static AdminCurl of(TestConf.Paths conf, int port) {
        return new AdminCurl(port, conf.confDir());
    }

    /** The token the daemon wrote at its first start. */
    public String token() {
        try {
            return Files.readString(confDir.resolve("admin.token"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Answer get(String path) {
        return request("GET", path, true);
    }

    public Answer post(String path) {
        return request("POST", path, true);
    }

    /** A request without the token. */
    public Answer anonymous(String method, String path) {
        return request(method, path, false);
    }

    private Answer request(String method, String path, boolean withToken) {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("curl"), "-s", "-X", method,
                "--max-time", "30", "-w", "\n%{http_code}"));
        if (withToken) {
            cmd.add("-H");
            cmd.add("Authorization: Bearer " + token());
        }
        cmd.add("http://127.0.0.1:" + port + path);
        ExternalProcess.Result r = ExternalProcess.run(BOUND, cmd);
        String out = r.stdout();
        int cut = out.lastIndexOf('\n');
        int status = Integer.parseInt(out.substring(cut + 1).strip());
        return new Answer(status, out.substring(0, cut));
    }
}
