package dev.qflux.cli;

import dev.qflux.admin.AdminToken;
import dev.qflux.config.AdminConfig;
import dev.qflux.config.AdminConfigLoader;
import dev.qflux.config.ConfigException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The verbs' side of the admin endpoint: finds its address (control/adminlisten) and token
 * (conf/admin.token) from the conf directory only, so it works while another control file is bad.
 */
final class AdminClient {
    /** A running daemon answers at once; longer means it is wedged or the machine is. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    /** The daemon is not running (nothing listens, or it never made a token): LSB's 3. */
    static final class NotRunning extends Exception {
        NotRunning(String message) {
            super(message);
        }
    }

    record Response(int status, String body) {
        boolean ok() {
            return status / 100 == 2;
        }
    }

    private final AdminConfig config;
    private final AdminToken token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    private AdminClient(AdminConfig config, AdminToken token) {
        this.config = config;
        this.token = token;
    }

    static AdminClient of(Path confDir) throws ConfigException, NotRunning, IOException {
        AdminConfig config = AdminConfigLoader.load(confDir);
        if (!Files.exists(config.tokenFile())) {
            throw new NotRunning(config.tokenFile() + " does not exist: qflux has never started with "
                    + confDir);
        }
        return new AdminClient(config, AdminToken.read(config.tokenFile()));
    }

    AdminConfig config() {
        return config;
    }

    Response get(String path) throws NotRunning, IOException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    Response post(String path) throws NotRunning, IOException {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** True while something answers on the endpoint (any status). */
    boolean answers() throws IOException {
        try {
            get("/health");
            return true;
        } catch (NotRunning e) {
            return false;
        }
    }

    private Response send(HttpRequest.Builder request) throws NotRunning, IOException {
        try {
            HttpResponse<String> r = http.send(request.timeout(REQUEST_TIMEOUT)
                    .header("Authorization", token.header()).build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (ConnectException e) {
            throw new NotRunning("nothing answers on " + describe());
        } catch (HttpTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // The daemon closing the connection as it exits looks the same as not running.
            if (e.getMessage() != null && e.getMessage().contains("closed")) {
                throw new NotRunning("the connection to " + describe() + " was closed");
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private URI uri(String path) {
        return URI.create("http://" + describe() + path);
    }

    String describe() {
        InetSocketAddress a = config.listen();
        String host = a.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
