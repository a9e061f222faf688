package dev.qflux.auth;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a checkpassword-compatible program (cr.yp.to/checkpwd/interface.html), as qmail-popup
 * does: it reads {@code user\0password\0timestamp\0} from file descriptor 3, exits 0 when they
 * are right (after running its own arguments as a subprogram), 1 when they are wrong, and
 * anything else (111 by convention) when it cannot tell. Java cannot hand a child descriptor 3,
 * so the program runs as {@code sh -c 'exec "$@" 3<&0 0</dev/null' checkpassword PROGRAM... env}:
 * the shell moves our pipe from 0 to 3. The subprogram is {@code env}, whose output tells the
 * HOME and USER the program set. Blocking: runs on the auth scheduler.
 */
final class CheckpasswordAuthenticator implements BlockingChecker {
    /** The interface allows 512 bytes of input (checkpassword.c: {@code char up[513]}). */
    static final int MAX_INPUT = 512;
    /** Longest the program may take; then it is killed and the login is a temporary failure. */
    static final long TIMEOUT_SECONDS = 30;
    /** Output of the subprogram read at most (env's listing). */
    static final int MAX_OUTPUT = 64 * 1024;
    /** checkpassword's documented exit codes. */
    static final int ACCEPTED = 0;
    static final int REJECTED = 1;

    private final List<String> program;

    CheckpasswordAuthenticator(List<String> program) {
        this.program = List.copyOf(program);
    }

    @Override
    public AuthResult check(Credentials c) {
        byte[] input = (c.user() + "\0" + c.secret() + "\0"
                + (c.challenge() == null ? "" : c.challenge()) + "\0").getBytes(StandardCharsets.UTF_8);
        if (input.length > MAX_INPUT) {
            return new AuthResult.Rejected("user and password longer than checkpassword's 512 bytes");
        }
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", "exec \"$@\" 3<&0 0</dev/null",
                "checkpassword"));
        argv.addAll(program);
        argv.add("env");
        ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
        // Only what the program sets may reach us as USER and HOME, not our own.
        pb.environment().remove("USER");
        pb.environment().remove("HOME");
        pb.environment().put("TCPREMOTEIP", c.clientAddress() == null ? "" : c.clientAddress());
        pb.environment().put("PROTO", "TCP");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new AuthResult.Unavailable("cannot run " + program.get(0) + ": " + e.getMessage());
        }
        try {
            try (OutputStream toProgram = p.getOutputStream()) {
                toProgram.write(input);
            } catch (IOException e) {
                // It may exit without reading (a program that refuses everyone): its exit code says.
            }
            byte[] out = readBounded(p.getInputStream());
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new AuthResult.Unavailable(program.get(0) + " took longer than " + TIMEOUT_SECONDS + " s");
            }
            int exit = p.exitValue();
            if (exit == ACCEPTED) {
                return accepted(c.user(), new String(out, StandardCharsets.UTF_8));
            }
            if (exit == REJECTED) {
                return new AuthResult.Rejected(program.get(0) + " exited 1");
            }
            return new AuthResult.Unavailable(program.get(0) + " exited " + exit);
        } catch (IOException e) {
            return new AuthResult.Unavailable(program.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new AuthResult.Unavailable("interrupted");
        } finally {
            p.destroyForcibly(); // no-op once it has exited
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        try (in) {
            byte[] head = in.readNBytes(MAX_OUTPUT);
            in.transferTo(OutputStream.nullOutputStream()); // let it finish writing
            return head;
        }
    }

    /** USER and HOME from env's listing when the program set them; else the name given. */
    private static AuthResult accepted(String given, String env) {
        String user = given;
        Path home = null;
        for (String line : env.split("\n")) {
            if (line.startsWith("USER=") && line.length() > 5) {
                user = line.substring(5);
            } else if (line.startsWith("HOME=") && line.length() > 5) {
                home = Path.of(line.substring(5));
            }
        }
        return new AuthResult.Accepted(user, home, -1, -1);
    }
}
