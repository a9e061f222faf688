package dev.qflux.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code qflux stat}: like svstat, then the listeners and what is paused. */
@Command(name = "stat", mixinStandardHelpOptions = true,
        description = "Say whether the daemon is up (exit 0) or down (exit 3), as svstat: "
                + "'up (pid N) S seconds', its listeners, queue and sessions.")
final class StatCommand extends AdminVerb {
    @Override
    int run(AdminClient admin) throws AdminClient.NotRunning, IOException {
        AdminClient.Response r = admin.get("/stat");
        if (!r.ok()) {
            return report(r);
        }
        System.out.print(describe(stat(r)));
        return 0;
    }

    @Override
    int notRunning(AdminClient.NotRunning e) {
        System.out.println("down");
        return EX_NOT_RUNNING;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> stat(AdminClient.Response r) {
        return (Map<String, Object>) JsonReader.parse(r.body());
    }

    @SuppressWarnings("unchecked")
    static String describe(Map<String, Object> s) {
        StringBuilder out = new StringBuilder();
        out.append("up (pid ").append(s.get("pid")).append(") ").append(s.get("uptime")).append(" seconds");
        if (Boolean.TRUE.equals(s.get("draining"))) {
            out.append(", stopping");
        } else if (Boolean.TRUE.equals(s.get("smtpPaused"))) {
            out.append(", paused (deliveries and smtp)");
        } else if (Boolean.TRUE.equals(s.get("paused"))) {
            out.append(", paused (deliveries)");
        }
        out.append('\n');
        for (Object l : (List<Object>) s.get("listeners")) {
            out.append("listening on ").append(l).append('\n');
        }
        out.append("queue: ").append(s.get("queue")).append(" messages; smtp sessions: ")
                .append(s.get("sessions")).append("; deliveries in flight: ")
                .append(s.get("deliveriesInFlight")).append('\n');
        return out.toString();
    }
}
