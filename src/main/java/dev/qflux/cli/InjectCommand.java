package dev.qflux.cli;

import dev.qflux.inject.Injector;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Unmatched;

/**
 * {@code qflux inject}: sendmail's command line (bin/sendmail runs it). Every argument but
 * {@code --conf} is sendmail's, so picocli passes them through untouched; docs/injection.md lists them.
 */
@Command(name = "inject", description = "Queue a message from stdin, like sendmail and qmail-inject (see docs/injection.md).")
final class InjectCommand implements Callable<Integer> {
    @Mixin
    ConfOption conf;

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return Injector.run(args, conf.dir, System.getenv(), System.in,
                new FileOutputStream(FileDescriptor.out), System.err);
    }
}
