package dev.qflux.cli;

import dev.qflux.config.TcpRulesCheck;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code qflux cdb}: the init script's verb that rebuilt tcp.smtp.cdb. qflux reads conf/tcp.smtp
 * as text, so there is nothing to build: the verb checks every line and reports each bad one.
 */
@Command(name = "cdb", mixinStandardHelpOptions = true,
        description = {"Check conf/tcp.smtp (qflux reads the text; no tcp.smtp.cdb is built): "
                + "print the number of rules and every bad line as file:line.",
                "Exit status: 0 valid, 78 bad lines."})
final class CdbCommand implements Callable<Integer> {
    @Mixin
    ConfOption conf;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        TcpRulesCheck.Result result = TcpRulesCheck.check(conf.dir);
        if (!result.exists()) {
            out.println(result.file() + ": missing: everyone may connect, nobody may relay");
            out.flush();
            return 0;
        }
        for (String error : result.errors()) {
            err.println("qflux: " + error);
        }
        err.flush();
        out.println(result.file() + ": " + result.rules() + (result.rules() == 1 ? " rule" : " rules")
                + (result.ok() ? "" : ", " + result.errors().size() + " bad"));
        out.flush();
        return result.ok() ? 0 : Qflux.EX_CONFIG;
    }
}
