package dev.qflux.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Loopback TCP ports chosen at run time. A port is handed out only after a plain bind succeeds and
 * no socket listens on it: smtp-sink, Postfix and HAProxy bind with SO_REUSEPORT, so a second
 * listener on a taken port would not fail but silently share the connections.
 */
public final class FreePort {
    /** Linux's table of IPv4 TCP sockets; state 0A is LISTEN. */
    private static final List<Path> PROC_TCP = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    private static final String TCP_LISTEN = "0A";
    private static final int ATTEMPTS = 20;

    private FreePort() {
    }

    /** A port on 127.0.0.1 that nothing listens on right now. */
    public static int pick() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port;
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (isFree(port)) {
                return port;
            }
        }
        throw new AssertionError("no free loopback port after " + ATTEMPTS + " attempts");
    }

    /** True when no socket listens on the port and a plain (non-reuseport) bind to it succeeds. */
    public static boolean isFree(int port) {
        if (isListening(port)) {
            return false;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails the test when the port is taken: call it right before a peer binds it. */
    public static void assertFree(int port) {
        if (!isFree(port)) {
            throw new AssertionError("port " + port + " is already in use");
        }
    }

    /**
     * True when some socket on this host is in LISTEN state on the port (any address). Read from
     * /proc so that checking never connects to, or competes for a bind with, the listener.
     */
    public static boolean isListening(int port) {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        for (Path table : PROC_TCP) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(table)) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ...
                    if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals(TCP_LISTEN)) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }
}
