package dev.qflux.config;

/** Port numbers of servers we connect to (smtproutes, resolver). */
final class Ports {
    /** RFC 793: ports are 16 bits; 0 cannot be connected to. */
    static final int MAX_PORT = 65535;

    private Ports() {
    }

    /** A port 1-65535 written in decimal; {@code whole} is the entry quoted in the error. */
    static int parse(String text, String whole) throws InvalidValue {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new InvalidValue("not a port number in " + ControlLine.quote(whole));
        }
        int port = Integer.parseInt(text);
        if (port < 1 || port > MAX_PORT) {
            throw new InvalidValue("port must be 1-" + MAX_PORT + " in " + ControlLine.quote(whole));
        }
        return port;
    }
}
