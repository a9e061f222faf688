package dev.qflux.config;

import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whatever a file holds, reading it either succeeds or fails with a ConfigException. */
class GarbageInputTest {
    private static final List<String> CONTROL_FILES = List.of("me", "smtpgreeting", "localiphost", "rcpthosts",
            "morercpthosts", "locals", "badmailfrom", "databytes", "timeoutsmtpd", "concurrencyincoming",
            "concurrencyperip", "maxrcpt", "maxerrors", "receivebytes", "queuefree", "queuedir", "listen");
    /** Characters the parsers give meaning to, so random text reaches their deeper branches. */
    private static final String SYNTAX = "0123456789abcdefABCDEF.:,[]=\"-/@#* \t\r\n%xyz_";

    /** Longer than any line a control file needs, by far. */
    private static final int LONG_LINE = 256 * 1024;

    @TempDir
    Path tmp;

    private final Random random = new Random(20261125);

    @Test
    void randomBytesInEveryFile() {
        for (int round = 0; round < 20; round++) {
            byte[] bytes = new byte[random.nextInt(2000)];
            random.nextBytes(bytes);
            everyFile(bytes);
        }
    }

    @Test
    void randomSyntaxInEveryFile() {
        for (int round = 0; round < 60; round++) {
            everyFile(syntax(1 + random.nextInt(200)).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void veryLongLines() {
        for (String unit : List.of("a", "1", ":[.", "1.2.3.4-", ":allow,X=\"", "0.0.0.0:25 smtp ", "é")) {
            everyFile(unit.repeat(LONG_LINE / unit.length()).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void randomCidrs() {
        for (int round = 0; round < 5000; round++) {
            String text = syntax(random.nextInt(40));
            onlyConfigException(text, () -> Cidr.parse(text));
        }
    }

    @Test
    void randomRuleAndListenLines() {
        Path file = tmp.resolve("rules");
        for (int round = 0; round < 3000; round++) {
            String prefix = List.of("", "1.2.3.", "[", "[::", "127.0.0.1:25 smtp ", "*:", ":allow,").get(round % 7);
            String text = prefix + syntax(random.nextInt(60)).replace("\n", "");
            List<ControlLine> lines = List.of(new ControlLine(file, 1, text.strip(), true));
            onlyConfigException(text, () -> TcpRulesParser.parse(lines));
            onlyConfigException(text, () -> ListenParser.parse(lines));
        }
    }

    private void everyFile(byte[] content) {
        ConfDir conf = ConfDir.withMe(tmp);
        for (String name : CONTROL_FILES) {
            conf.write(conf.control(name), content);
            onlyConfigException(name, conf::load);
            // Removed again, so the next file is not hidden behind this one's error.
            conf.delete(conf.control(name));
            conf.control("me", "mail.example.com\n");
        }
        conf.write(conf.dir.resolve("tcp.smtp"), content);
        onlyConfigException("tcp.smtp", conf::load);
        conf.delete(conf.dir.resolve("tcp.smtp"));
    }

    private String syntax(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(SYNTAX.charAt(random.nextInt(SYNTAX.length())));
        }
        return b.toString();
    }

    private interface Load {
        Object run() throws Exception;
    }

    private static void onlyConfigException(String what, Load load) {
        Throwable t = catchThrowable(load::run);
        if (t != null && !(t instanceof ConfigException)) {
            throw new AssertionError("reading " + ControlLine.quote(what) + " threw " + t, t);
        }
    }
}
