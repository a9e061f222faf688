package dev.qflux.cli;

import dev.qflux.auth.PasswordFile;
import dev.qflux.auth.PasswordHash;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code qflux passwd USER}: sets a password in control/passwords (see docs/security.md). */
@Command(name = "passwd", mixinStandardHelpOptions = true,
        description = "Set USER's password in control/passwords (PBKDF2-SHA256, file mode 0600).")
final class PasswdCommand implements Callable<Integer> {
    /** sysexits.h: the command was used wrongly. */
    static final int EX_USAGE = 64;

    @Mixin
    ConfOption conf;

    @Parameters(paramLabel = "USER", description = "the login name")
    String user;

    @Option(names = "--stdin", description = "read the password from the first line of standard input (for scripts)")
    boolean stdin;

    @Option(names = "--home", paramLabel = "DIR", description = "the user's home (holding Maildir/) when the user is new or it changes")
    String home;

    @Override
    public Integer call() {
        if (!PasswordFile.validUser(user)) {
            System.err.println("qflux: passwd: a user name holds no ':', blanks or control characters");
            return EX_USAGE;
        }
        if (home != null && (home.indexOf('\n') >= 0 || home.indexOf('\r') >= 0)) {
            System.err.println("qflux: passwd: a home directory holds no line break");
            return EX_USAGE;
        }
        char[] password;
        try {
            password = stdin ? fromStdin() : fromConsole();
        } catch (IOException e) {
            System.err.println("qflux: passwd: " + e.getMessage());
            return EX_USAGE;
        }
        try {
            if (password.length == 0) {
                System.err.println("qflux: passwd: empty password refused");
                return EX_USAGE;
            }
            String hash = PasswordHash.hash(password, PasswordHash.DEFAULT_ITERATIONS);
            Path file = conf.dir.resolve("control").resolve("passwords");
            PasswordFile.setPassword(file, user, hash, home);
            System.out.println("qflux: passwd: password for " + user + " set in " + file);
            return 0;
        } catch (IOException e) {
            System.err.println("qflux: passwd: cannot write control/passwords: " + e.getMessage());
            return Qflux.EX_IOERR;
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static char[] fromStdin() throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line = in.readLine();
        if (line == null) {
            throw new IOException("no password on standard input");
        }
        return line.toCharArray();
    }

    private static char[] fromConsole() throws IOException {
        Console console = System.console();
        if (console == null) {
            throw new IOException("no terminal to read the password from; use --stdin");
        }
        char[] first = console.readPassword("New password: ");
        char[] second = console.readPassword("Again: ");
        if (first == null || second == null) {
            throw new IOException("no password given");
        }
        boolean same = Arrays.equals(first, second);
        Arrays.fill(second, '\0');
        if (!same) {
            Arrays.fill(first, '\0');
            throw new IOException("the two passwords differ; nothing changed");
        }
        return first;
    }
}
