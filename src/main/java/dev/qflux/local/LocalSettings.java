package dev.qflux.local;

import dev.qflux.config.ConfigException;
import dev.qflux.config.QfluxConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What local delivery reads from the conf directory.
 *
 * @param me              control/me: the host named in Maildir file names
 * @param envNoAtHost     control/envnoathost (default me): added to forward addresses without @
 * @param defaultDelivery control/defaultdelivery, in {@code .qmail} format: what a user without a
 *                        {@code .qmail} file gets (default {@code ./Mailbox}, qmail's rc default)
 * @param usersAssign     conf/users/assign (default: none)
 * @param aliasDir        conf/alias: the alias user's home, holding {@code .qmail-postmaster} etc.
 * @param passwdFile      the passwd database (/etc/passwd)
 * @param timeoutLocal    control/timeoutlocal (default 3600 s): how long a {@code |program} line,
 *                        or a mailbox write by a per-user child, may run before it is killed and
 *                        the delivery deferred (qmail had no limit; a hung program would hold a
 *                        delivery slot for ever)
 * @param concurrency     control/concurrencylocal: threads doing local deliveries at once
 */
public record LocalSettings(String me, String envNoAtHost, String defaultDelivery, UsersAssign usersAssign,
                            Path aliasDir, Path passwdFile, Duration timeoutLocal, int concurrency) {
    /** qmail's rc script: {@code qmail-start ./Mailbox}. */
    public static final String DEFAULT_DELIVERY = "./Mailbox\n";
    /** One hour for a program: far above any filter's need, short enough to free a stuck slot. */
    public static final long DEFAULT_TIMEOUT_LOCAL_SECONDS = 3600;
    /** Largest defaultdelivery or timeoutlocal read: a few lines of text. */
    static final int MAX_DEFAULT_DELIVERY_BYTES = 64 * 1024;

    /**
     * Reads control/defaultdelivery, control/timeoutlocal and users/assign under
     * {@code config.confDir()}. Blocking file reads, like ConfigLoader.
     *
     * @throws ConfigException naming the file and line of a problem
     */
    public static LocalSettings load(QfluxConfig config) throws ConfigException {
        Path conf = config.confDir();
        Path control = conf.resolve("control");
        return new LocalSettings(
                config.me(),
                config.delivery().envNoAtHost(),
                defaultDelivery(control.resolve("defaultdelivery")),
                UsersAssign.load(conf.resolve("users").resolve("assign")),
                conf.resolve("alias"),
                Path.of("/etc/passwd"),
                Duration.ofSeconds(seconds(control.resolve("timeoutlocal"), DEFAULT_TIMEOUT_LOCAL_SECONDS)),
                config.delivery().concurrencyLocal());
    }

    private static String defaultDelivery(Path file) throws ConfigException {
        String text = read(file);
        if (text == null) {
            return DEFAULT_DELIVERY;
        }
        if (DotQmail.parse(text.getBytes(StandardCharsets.UTF_8)).isEmpty()) {
            throw new ConfigException(file + ":1: no delivery instruction (expected e.g. ./Maildir/)");
        }
        return text;
    }

    private static long seconds(Path file, long defaultValue) throws ConfigException {
        String text = read(file);
        if (text == null) {
            return defaultValue;
        }
        String value = text.lines().findFirst().orElse("").strip();
        try {
            long n = Long.parseLong(value);
            if (n >= 1 && n <= Integer.MAX_VALUE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigException(file + ":1: expected a number of seconds from 1 to " + Integer.MAX_VALUE
                + ": \"" + (value.length() > 80 ? value.substring(0, 80) + "..." : value) + "\"");
    }

    /** The file's text, or null when it does not exist. */
    private static String read(Path file) throws ConfigException {
        try {
            if (Files.size(file) > MAX_DEFAULT_DELIVERY_BYTES) {
                throw new ConfigException(file + ": larger than " + MAX_DEFAULT_DELIVERY_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + MailboxException.reason(e), e);
        }
    }
}
