package dev.qflux.it.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Postfix's smtp-source load generator against 127.0.0.1:port. It opens a new connection per
 * message unless {@code -d}, and does not pipeline. Exit code 0 means every message was accepted.
 */
public final class SmtpSource {
    private final int port;
    private int sessions = 1;
    private int messages = 1;
    private int bodyBytes = 0;
    private String sender = "source@client.test";
    private String recipient = "sink@" + TestConf.ME;
    private final List<String> flags = new ArrayList<>();
    private Duration bound = Duration.ofMinutes(5);

    private SmtpSource(int port) {
        this.port = port;
    }

    public static SmtpSource against(int port) {
        return new SmtpSource(port);
    }

    /** {@code -s}: parallel sessions. */
    public SmtpSource sessions(int n) {
        this.sessions = n;
        return this;
    }

    /** {@code -m}: messages in total. */
    public SmtpSource messages(int n) {
        this.messages = n;
        return this;
    }

    /** {@code -l}: body size in bytes. */
    public SmtpSource bodyBytes(int n) {
        this.bodyBytes = n;
        return this;
    }

    public SmtpSource from(String s) {
        this.sender = s;
        return this;
    }

    public SmtpSource to(String r) {
        this.recipient = r;
        return this;
    }

    /** {@code -N}: a distinct sequence number prepended to each recipient's local part. */
    public SmtpSource uniqueRecipients() {
        flags.add("-N");
        return this;
    }

    /** {@code -d}: keep the connection for the next message. */
    public SmtpSource reuseConnection() {
        flags.add("-d");
        return this;
    }

    public SmtpSource within(Duration d) {
        this.bound = d;
        return this;
    }

    /** Runs to completion; {@code -c} prints a running count that ends up in stdout. */
    public ExternalProcess.Result run() {
        List<String> cmd = new ArrayList<>(List.of(Tools.require("smtp-source"),
                "-c", "-s", Integer.toString(sessions), "-m", Integer.toString(messages),
                "-f", sender, "-t", recipient));
        if (bodyBytes > 0) {
            cmd.addAll(List.of("-l", Integer.toString(bodyBytes)));
        }
        cmd.addAll(flags);
        cmd.add("127.0.0.1:" + port);
        return ExternalProcess.run(bound, cmd);
    }
}
