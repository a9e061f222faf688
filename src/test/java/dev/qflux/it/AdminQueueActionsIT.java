package dev.qflux.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.qflux.it.support.AdminCurl;
import dev.qflux.it.support.FreePort;
import dev.qflux.it.support.QfluxProcess;
import dev.qflux.it.support.RawSmtpClient;
import dev.qflux.it.support.SpoolInspector;
import dev.qflux.it.support.SpooledMessage;
import dev.qflux.it.support.TestConf;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin endpoint's bounce and delete on a daemon whose deliveries wait (concurrencyremote 0):
 * a bounced message leaves the queue and its sender's bounce, saying the administrator bounced
 * it, takes its place; a deleted one leaves without a bounce, and only when confirmed.
 */
class AdminQueueActionsIT {
    private static final String BOUNCE_REASON = "This message was bounced by the administrator.";

    @TempDir
    Path dir;

    @Test
    void bounceQueuesABounceAndDeleteNeedsConfirmation() throws Exception {
        int port = FreePort.pick();
        TestConf conf = TestConf.in(dir).listen(port);
        TestConf.Paths paths = conf.write();
        try (QfluxProcess qflux = QfluxProcess.start(paths)) {
            qflux.awaitListening(port);
            AdminCurl admin = AdminCurl.of(paths, conf.adminPort());
            send(port, "bounced@client.test", "far@remote.test", "<bounce.me@client.test>");
            send(port, "deleted@client.test", "away@remote.test", "<delete.me@client.test>");
            String queue = admin.get("/queue").body();
            long bounced = idOf(queue, "bounced@client.test");
            long deleted = idOf(queue, "deleted@client.test");

            assertThat(admin.anonymous("POST", "/queue/" + bounced + "/bounce").status()).isEqualTo(401);
            AdminCurl.Answer bounce = admin.post("/queue/" + bounced + "/bounce");
            assertThat(bounce.status()).as(bounce.body()).isEqualTo(200);
            assertThat(admin.post("/queue/" + bounced + "/bounce").status()).isEqualTo(404);
            assertThat(admin.post("/queue/999999/bounce").status()).isEqualTo(404);

            AdminCurl.Answer unconfirmed = admin.post("/queue/" + deleted + "/delete");
            assertThat(unconfirmed.status()).isEqualTo(400);
            assertThat(unconfirmed.body()).contains("confirm=yes");
            assertThat(qflux.qstat()).as("the bounce and the message not yet deleted").isEqualTo(2);
            AdminCurl.Answer delete = admin.post("/queue/" + deleted + "/delete?confirm=yes");
            assertThat(delete.status()).as(delete.body()).isEqualTo(200);
            qflux.awaitCondition(QfluxProcess.START_BOUND, () -> qflux.qstat() == 1, "the deleted message stayed");

            assertThat(qflux.log()).contains("status: msg " + bounced + " bounced by the administrator",
                    "status: msg " + deleted + " deleted by the administrator");
            qflux.stop();
        }
        List<SpooledMessage> spool = SpoolInspector.scan(paths.queueDir());
        assertThat(spool).singleElement().satisfies(m -> {
            assertThat(m.sender()).isEmpty();
            assertThat(m.recipients()).containsExactly("bounced@client.test");
            assertThat(m.bodyText()).contains("<far@remote.test>", BOUNCE_REASON, "<bounce.me@client.test>");
        });
    }

    private static void send(int port, String sender, String recipient, String messageId) throws Exception {
        try (RawSmtpClient c = RawSmtpClient.connect(port)) {
            c.expectReply(220);
            c.expect(250, "EHLO client.test");
            RawSmtpClient.Reply r = c.sendMail(sender, recipient, "Message-ID: " + messageId + "\r\n\r\nbody\r\n");
            assertThat(r.code()).as(r.text()).isEqualTo(250);
            c.expect(221, "QUIT");
        }
    }

    /** The queue id of the message from this sender in GET /queue's JSON. */
    private static long idOf(String queueJson, String sender) {
        Matcher m = Pattern.compile("\"id\":(\\d+),[^{}]*\"sender\":\"" + Pattern.quote(sender) + "\"").matcher(queueJson);
        assertThat(m.find()).as(queueJson).isTrue();
        return Long.parseLong(m.group(1));
    }
}
