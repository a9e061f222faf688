package dev.qflux.cli;

import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code qflux setup HOSTNAME}: writes a starter conf/, like qmail's config-fast. */
@Command(name = "setup", mixinStandardHelpOptions = true,
        description = {"Write a starter conf/ for HOSTNAME, like qmail's config-fast: control/me, "
                + "defaultdomain, plusdomain, locals, rcpthosts, listen, defaultdelivery, tcp.smtp "
                + "(only this machine may relay) and the postmaster, root and mailer-daemon aliases.",
                "Exit status: 0 written, 1 a conf already exists (see --force), 78 the result does not load."})
final class SetupCommand implements Callable<Integer> {
    /** RFC 1035 2.3.1 labels (letters, digits, hyphens), at least one, lowercase or not. */
    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    @Parameters(index = "0", paramLabel = "HOSTNAME", description = "this host's fully qualified name")
    String host;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "${env:QFLUX_CONF:-conf}",
            description = "conf directory to write (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "25",
            description = "SMTP port in control/listen (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--address", paramLabel = "ADDRESS", defaultValue = "*",
            description = "address in control/listen: an IPv4 address, [IPv6], or * for all (default: ${DEFAULT-VALUE})")
    String address;

    @Option(names = "--admin", paramLabel = "ADDRESS",
            description = "forward postmaster, root and mailer-daemon mail here (default: keep it in alias/Maildir/)")
    String admin;

    @Option(names = "--force", description = "overwrite the files of an existing conf")
    boolean force;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        check();
        Path me = dir.resolve("control/me");
        if (Files.exists(me) && !force) {
            err.println("qflux: " + me + " exists: " + dir + " holds a conf already; --force overwrites it");
            return 1;
        }
        try {
            for (Map.Entry<String, String> file : StarterConf.files(host, address, port, admin).entrySet()) {
                Path path = dir.resolve(file.getKey());
                Files.createDirectories(path.getParent());
                Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
                out.println("wrote " + path);
            }
        } catch (IOException e) {
            err.println("qflux: fatal: cannot write " + dir + ": " + e.getMessage());
            return Qflux.EX_CONFIG;
        }
        try {
            ConfigLoader.load(dir); // what we wrote must start
        } catch (ConfigException e) {
            err.println("qflux: fatal: the conf written does not load: " + e.getMessage());
            return Qflux.EX_CONFIG;
        }
        out.println("qflux will accept mail for " + host.toLowerCase(Locale.ROOT)
                + " from anyone, and relay only for this machine; see docs/operations.md");
        out.flush();
        return 0;
    }

    private void check() {
        if (!HOST_NAME.matcher(host).matches() || host.length() > 253) {
            throw new ParameterException(spec.commandLine(), "not a host name: " + host);
        }
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "--port must be 1 to 65535: " + port);
        }
        if (admin != null && (admin.isBlank() || admin.indexOf('\n') >= 0 || admin.indexOf(' ') >= 0)) {
            throw new ParameterException(spec.commandLine(), "--admin must be one address: " + admin);
        }
    }
}
