package dev.qflux.admin;

import dev.qflux.config.AdminConfig;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The admin endpoint on Reactor Netty's HTTP server. Requests are read on its event loop; the work
 * (reading the queue or the conf directory, scraping /proc for metrics) runs on a small bounded
 * scheduler of its own. Every path but those of control/adminopen needs the bearer token.
 */
public final class AdminServer implements AutoCloseable {
    /** Admin work runs one or two at a time: it is an operator and a scraper, not a workload. */
    static final int WORKER_THREADS = 2;
    /** Requests queued for a worker before the endpoint answers 503. */
    static final int WORK_QUEUE = 64;
    /** Queue entries listed by default; {@code ?limit=N} asks for more. */
    static final int DEFAULT_QUEUE_LIMIT = 1000;
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String JSON = "application/json";
    /** Prometheus text exposition format 0.0.4. */
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

    private final DisposableServer http;
    private final Scheduler work;

    private AdminServer(DisposableServer http, Scheduler work) {
        this.http = http;
        this.work = work;
    }

    /** Binds the endpoint; fails if its address cannot be bound. */
    public static AdminServer start(AdminConfig config, AdminToken token, DaemonControl daemon) {
        Scheduler work = Schedulers.newBoundedElastic(WORKER_THREADS, WORK_QUEUE, "qflux-admin");
        Routes routes = new Routes(token, config.openPaths(), daemon, work);
        try {
            DisposableServer http = HttpServer.create()
                    .bindAddress(config::listen)
                    .route(routes::define)
                    .bindNow(Duration.ofSeconds(30));
            return new AdminServer(http, work);
        } catch (RuntimeException e) {
            work.dispose();
            throw e;
        }
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) http.address();
    }

    @Override
    public void close() {
        http.disposeNow(Duration.ofSeconds(5));
        work.dispose();
    }

    /** One status, type and body. */
    record Answer(int status, String contentType, String body) {
        static Answer text(int status, String body) {
            return new Answer(status, TEXT, body.endsWith("\n") ? body : body + "\n");
        }

        static Answer json(String body) {
            return new Answer(200, JSON, body + "\n");
        }
    }

    /** The paths, each with its check of the token. */
    private static final class Routes {
        private final AdminToken token;
        private final Set<String> open;
        private final DaemonControl daemon;
        private final Scheduler work;

        Routes(AdminToken token, Set<String> open, DaemonControl daemon, Scheduler work) {
            this.token = token;
            this.open = open;
            this.daemon = daemon;
            this.work = work;
        }

        void define(HttpServerRoutes r) {
            r.get("/health", (req, res) -> serve(req, res, "/health", () -> Answer.text(200, "ok")))
             .get("/ready", (req, res) -> serve(req, res, "/ready", () -> daemon.ready()
                     ? Answer.text(200, "ready") : Answer.text(503, "not ready")))
             .get("/metrics", (req, res) -> serve(req, res, "/metrics",
                     () -> new Answer(200, PROMETHEUS, daemon.metrics())))
             .get("/stat", (req, res) -> serve(req, res, "/stat", () -> Answer.json(daemon.statJson())))
             .get("/queue", (req, res) -> serve(req, res, "/queue",
                     () -> Answer.json(daemon.queueJson(limit(req)))))
             .post("/pause", (req, res) -> serve(req, res, "/pause", () -> {
                 boolean smtp = flag(req, "smtp");
                 daemon.pause(smtp);
                 return Answer.text(200, smtp ? "deliveries and SMTP paused" : "deliveries paused");
             }))
             .post("/cont", (req, res) -> serve(req, res, "/cont", () -> {
                 daemon.cont();
                 return Answer.text(200, "continuing");
             }))
             .post("/doqueue", (req, res) -> serve(req, res, "/doqueue", () -> {
                 daemon.doqueue();
                 return Answer.text(200, "retrying every queued message now");
             }))
             .post("/reload", (req, res) -> serve(req, res, "/reload", () -> daemon.reload()
                     .map(why -> Answer.text(409, why))
                     .orElseGet(() -> Answer.text(200, "reloaded"))))
             .post("/queue/{id}/flush", (req, res) -> serve(req, res, "/queue", () -> {
                 long id = messageId(req.param("id"));
                 if (id < 0) {
                     return Answer.text(400, "not a message id: " + req.param("id"));
                 }
                 return daemon.flush(id) ? Answer.text(200, "retrying msg " + id + " now")
                         : Answer.text(404, "msg " + id + " is not waiting in the queue");
             }))
             .post("/queue/{id}/bounce", (req, res) -> serve(req, res, "/queue", () -> {
                 long id = messageId(req.param("id"));
                 if (id < 0) {
                     return Answer.text(400, "not a message id: " + req.param("id"));
                 }
                 return answer(daemon.bounce(id), id, "bounced msg " + id);
             }))
             .post("/queue/{id}/delete", (req, res) -> serve(req, res, "/queue", () -> {
                 long id = messageId(req.param("id"));
                 if (id < 0) {
                     return Answer.text(400, "not a message id: " + req.param("id"));
                 }
                 // Deleting loses mail without telling its sender: asked for twice, in so many words.
                 if (!"yes".equals(param(req, "confirm"))) {
                     return Answer.text(400, "add ?confirm=yes to delete msg " + id
                             + ": its pending recipients get no mail and no bounce");
                 }
                 return answer(daemon.delete(id), id, "deleted msg " + id);
             }))
             .post("/destination/{key}/hold", (req, res) -> serve(req, res, "/destination", () -> {
                 daemon.hold(req.param("key"), true);
                 return Answer.text(200, "holding " + req.param("key"));
             }))
             .post("/destination/{key}/release", (req, res) -> serve(req, res, "/destination", () -> {
                 daemon.hold(req.param("key"), false);
                 return Answer.text(200, "releasing " + req.param("key"));
             }))
             .post("/stop", (req, res) -> serve(req, res, "/stop", () -> {
                 daemon.stop();
                 return Answer.text(202, "stopping");
             }));
        }

        private Publisher<Void> serve(HttpServerRequest req, HttpServerResponse res, String path,
                                      Callable<Answer> handler) {
            if (!open.contains(path) && !token.matches(req.requestHeaders().get("Authorization"))) {
                return send(res, new Answer(401, TEXT,
                        "a bearer token is needed: see conf/admin.token\n"));
            }
            return Mono.fromCallable(handler)
                    .subscribeOn(work)
                    .onErrorResume(e -> Mono.just(Answer.text(500, "error: " + e.getMessage())))
                    .flatMap(a -> Mono.from(send(res, a)));
        }

        private static Publisher<Void> send(HttpServerResponse res, Answer a) {
            if (a.status() == 401) {
                res.header("WWW-Authenticate", "Bearer");
            }
            return res.status(HttpResponseStatus.valueOf(a.status()))
                    .header("Content-Type", a.contentType())
                    .header("Cache-Control", "no-store")
                    .sendString(Mono.just(a.body()));
        }

        private static long messageId(String text) {
            if (text == null || text.isEmpty() || text.length() > 18
                    || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return -1;
            }
            return Long.parseLong(text);
        }

        private static Answer answer(DaemonControl.QueueAction action, long id, String done) {
            if (action == DaemonControl.QueueAction.DONE) {
                return Answer.text(200, done);
            } else if (action == DaemonControl.QueueAction.NOT_QUEUED) {
                return Answer.text(404, "msg " + id + " is not waiting in the queue"
                        + " (unknown, done, or being delivered now: try again after the attempt)");
            } else if (action == DaemonControl.QueueAction.BUSY) {
                return Answer.text(409, "msg " + id + " is being delivered now; try again when it is done");
            }
            return Answer.text(503, "the spool did not record it; msg " + id + " is unchanged");
        }

        private static String param(HttpServerRequest req, String name) {
            List<String> v = new QueryStringDecoder(req.uri()).parameters().get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        private static boolean flag(HttpServerRequest req, String name) {
            List<String> v = new QueryStringDecoder(req.uri()).parameters().get(name);
            return v != null && !v.isEmpty() && (v.get(0).equals("1") || v.get(0).equals("true"));
        }

        private static int limit(HttpServerRequest req) {
            List<String> v = new QueryStringDecoder(req.uri()).parameters().get("limit");
            if (v == null || v.isEmpty()) {
                return DEFAULT_QUEUE_LIMIT;
            }
            try {
                return Math.max(0, Integer.parseInt(v.get(0)));
            } catch (NumberFormatException e) {
                return DEFAULT_QUEUE_LIMIT;
            }
        }
    }
}
