package dev.qflux.cli;

import dev.qflux.inject.Injector;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code qflux inject}: sendmail's command line (bin/sendmail runs it). Every argument but
 * {@code --conf} is sendmail's and is read by the inject package, in order and untouched;
 * docs/injection.md lists them.
 */
@Command(name = "inject", description = "Queue a message from stdin, like sendmail and qmail-inject (see docs/injection.md).")
final class InjectCommand implements Callable<Integer> {
    private static final String CONF = "--conf";

    @Mixin
    ConfOption conf;

    /** Declared so picocli lets sendmail's flags through; the order is taken from the original arguments. */
    @Unmatched
    List<String> unmatched = new ArrayList<>();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> original = spec.commandLine().getParseResult().originalArgs();
        return Injector.run(sendmailArgs(original), conf.dir, System.getenv(), System.in,
                new FileOutputStream(FileDescriptor.out), System.err);
    }

    /**
     * The arguments after the verb without {@code --conf DIR} / {@code --conf=DIR}. Taken from the
     * original list because picocli drops a "--", which sendmail keeps meaning "end of flags" (a
     * recipient may start with "-").
     */
    static List<String> sendmailArgs(List<String> original) {
        int verb = original.indexOf("inject");
        List<String> args = new ArrayList<>();
        boolean flags = true;
        for (int i = verb + 1; i < original.size(); i++) {
            String arg = original.get(i);
            if (flags && arg.equals(CONF) && i + 1 < original.size()) {
                i++;
                continue;
            }
            if (flags && arg.startsWith(CONF + "=")) {
                continue;
            }
            if (arg.equals("--")) {
                flags = false;
            }
            args.add(arg);
        }
        return args;
    }
}
