package dev.qflux.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code qflux} command: the verbs of qmail's init script and tools. */
@Command(name = "qflux", mixinStandardHelpOptions = true, version = "qflux 0.1.0",
        description = "qmail's mail transfer agent as one reactive process.",
        subcommands = {StartCommand.class, QreadCommand.class, QstatCommand.class, InjectCommand.class,
                ShowctlCommand.class, CdbCommand.class, SetupCommand.class, PasswdCommand.class,
                StopCommand.class, RestartCommand.class, StatCommand.class, PauseCommand.class,
                ContCommand.class, DoqueueCommand.class, ReloadCommand.class, QueueCommand.class,
                TopCommand.class,
                CommandLine.HelpCommand.class})
public final class Qflux {
    /** sysexits.h: configuration error. */
    static final int EX_CONFIG = 78;
    /** sysexits.h: temporary failure (cannot bind, spool in use). */
    static final int EX_TEMPFAIL = 75;
    /** sysexits.h: I/O error reading the spool. */
    static final int EX_IOERR = 74;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Qflux()).execute(args));
    }
}
