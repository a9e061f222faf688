package dev.qflux.cli;

import dev.qflux.config.ConfigException;
import dev.qflux.config.ConfigLoader;
import dev.qflux.config.ControlReport;
import dev.qflux.config.QfluxConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qflux showctl}: like qmail-showctl, every control file qflux reads with its effective
 * value and where it came from, then a warning for each file in control/ that qflux does not read.
 */
@Command(name = "showctl", mixinStandardHelpOptions = true,
        description = {"Show every control file qflux reads, its effective value and where it came from "
                + "(file:line, or default), and warn about files in control/ that qflux does not read.",
                "Exit status: 0 all clear, 1 unknown files found, 78 configuration error."})
final class ShowctlCommand implements Callable<Integer> {
    /** Width of the name column: the longest control file name (concurrencyperdestination) and a space. */
    private static final int NAME_WIDTH = 26;

    @Mixin
    ConfOption conf;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        QfluxConfig config;
        try {
            config = ConfigLoader.load(conf.dir);
            out.println("qflux showctl: " + config.confDir().toAbsolutePath().normalize());
            for (ControlReport.Setting s : ControlReport.settings(config)) {
                print(out, s);
            }
        } catch (ConfigException e) {
            out.flush();
            err.println("qflux: fatal: " + e.getMessage());
            return Qflux.EX_CONFIG;
        }
        List<ControlReport.Stray> strays;
        try {
            strays = ControlReport.strays(conf.dir);
        } catch (IOException e) {
            err.println("qflux: fatal: cannot list " + conf.dir.resolve("control") + ": " + e.getMessage());
            return Qflux.EX_CONFIG;
        }
        boolean problem = false;
        for (ControlReport.Stray s : strays) {
            if (s.isProblem()) {
                problem = true;
                out.println("warning: " + s.file() + ": not a control file qflux reads"
                        + s.suggestion().map(n -> " (did you mean " + n + "?)").orElse(""));
            } else {
                out.println("note: " + s.file() + ": not read: " + s.note().orElseThrow());
            }
        }
        out.flush();
        return problem ? 1 : 0;
    }

    private static void print(PrintWriter out, ControlReport.Setting s) {
        String name = pad(s.entry().name());
        if (s.isDefault()) {
            out.println(name + s.defaultValue().orElseThrow() + "  (default)");
        } else if (s.lines().isEmpty()) {
            out.println(name + "(no entries)  (" + s.file() + ")");
        } else {
            String prefix = name;
            for (ControlReport.Source line : s.lines()) {
                out.println(prefix + line.text() + "  (" + line.where() + ")");
                prefix = pad("");
            }
        }
    }

    private static String pad(String name) {
        StringBuilder b = new StringBuilder(name);
        while (b.length() < NAME_WIDTH) {
            b.append(' ');
        }
        return b.append(name.length() >= NAME_WIDTH ? " " : "").toString();
    }
}
