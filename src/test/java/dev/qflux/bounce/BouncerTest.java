package dev.qflux.bounce;

import static dev.qflux.bounce.BounceFixtures.BIRTH;
import static dev.qflux.bounce.BounceFixtures.CLOCK;
import static dev.qflux.bounce.BounceFixtures.ME;
import static dev.qflux.bounce.BounceFixtures.NO_USER;
import static dev.qflux.bounce.BounceFixtures.ORIGINAL;
import static dev.qflux.bounce.BounceFixtures.TWO_FAILED;
import static dev.qflux.bounce.BounceFixtures.bouncer;
import static dev.qflux.bounce.BounceFixtures.original;
import static dev.qflux.bounce.BounceFixtures.part;
import static dev.qflux.bounce.BounceFixtures.partHeaders;
import static dev.qflux.bounce.BounceFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.qflux.spool.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class BouncerTest {
    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private final ByteBuf original = original(ORIGINAL);

    @AfterEach
    void releaseOriginal() {
        assertThat(original.refCnt()).as("decide must not release the original").isEqualTo(1);
        original.release();
    }

    @Test
    void aFailedMessageBouncesToItsSenderFromTheNullSender() {
        BounceDecision d = bouncer().decide("alice@example.org", 42, BIRTH, TWO_FAILED, original, ALLOC);

        assertThat(d).isInstanceOf(BounceDecision.Bounce.class);
        BounceDecision.Bounce bounce = (BounceDecision.Bounce) d;
        assertThat(bounce.envelope()).isEqualTo(new Envelope("", List.of("alice@example.org")));
        String msg = text(bounce.message());
        assertThat(msg).startsWith("Date: Wed, 25 Nov 2026 14:30:00 +0000\r\n")
                .contains("\r\nFrom: MAILER-DAEMON@mx.example.com\r\n")
                .contains("\r\nTo: alice@example.org\r\n")
                .contains("\r\nSubject: failure notice\r\n")
                .contains("\r\nMIME-Version: 1.0\r\n")
                .contains("\r\nAuto-Submitted: auto-replied\r\n")
                .containsPattern("\r\nMessage-ID: <[^>\r\n]+@mx\\.example\\.com>\r\n")
                .containsPattern("\r\nContent-Type: multipart/report; report-type=delivery-status;\r\n boundary=\"[^\"]+\"\r\n");
        assertThat(original.readerIndex()).isZero();
    }

    @Test
    void aFailedBounceGoesToDoubleBounceToFromQmailsMarker() {
        BounceDecision d = bouncer().decide("", 43, BIRTH, List.of(NO_USER), original, ALLOC);

        assertThat(d).isInstanceOf(BounceDecision.DoubleBounce.class);
        BounceDecision.DoubleBounce db = (BounceDecision.DoubleBounce) d;
        assertThat(db.envelope()).isEqualTo(new Envelope("#@[]", List.of("postmaster@" + ME)));
        String msg = text(db.message());
        assertThat(msg).contains("\r\nTo: postmaster@mx.example.com\r\n");
        assertThat(part(msg, 0)).isEqualTo("Hi. This is the qflux program at mx.example.com.\r\n"
                + "I tried to deliver a bounce message to this address, but the bounce bounced!\r\n"
                + "\r\n"
                + "<bob@example.net>:\r\n"
                + "Connected to 192.0.2.1 but sender was rejected.\r\n"
                + "Remote host said: 550 5.1.1 <bob@example.net>: no such user\r\n"
                + "\r\n"
                + "--- Below this line is the original bounce.\r\n"
                + "\r\n");
        assertThat(part(msg, 2)).startsWith("Return-Path: <>\r\nReceived: ");
    }

    @Test
    void aFailedDoubleBounceIsDroppedWithQmailsLogLine() {
        BounceDecision d = bouncer().decide("#@[]", 44, BIRTH, List.of(NO_USER), original, ALLOC);

        assertThat(d).isEqualTo(new BounceDecision.Drop("triple bounce: discarding msg 44"));
    }

    @Test
    void anEmptyDoubleBounceToDiscardsDoubleBouncesAsQmailDid() {
        BounceSettings noPostmaster = new BounceSettings(ME, "MAILER-DAEMON", ME, "", ME, 1000);
        BounceDecision d = new Bouncer(noPostmaster, CLOCK).decide("", 45, BIRTH, List.of(NO_USER), original, ALLOC);

        assertThat(d).isEqualTo(new BounceDecision.Drop("double bounce: discarding msg 45"));
    }

    @Test
    void theHumanPartIsQsbmfWordForWord() {
        String msg = text(((BounceDecision.Bounce) bouncer()
                .decide("alice@example.org", 42, BIRTH, TWO_FAILED, original, ALLOC)).message());

        assertThat(partHeaders(msg, 0)).isEqualTo("\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n");
        assertThat(part(msg, 0)).isEqualTo("Hi. This is the qflux program at mx.example.com.\r\n"
                + "I'm afraid I wasn't able to deliver your message to the following addresses.\r\n"
                + "This is a permanent error; I've given up. Sorry it didn't work out.\r\n"
                + "\r\n"
                + "<god@heaven.af.mil>:\r\n"
                + "Sorry, I couldn't find any host by that name. (#5.1.2)\r\n"
                + "\r\n"
                + "<bob@example.net>:\r\n"
                + "Connected to 192.0.2.1 but sender was rejected.\r\n"
                + "Remote host said: 550 5.1.1 <bob@example.net>: no such user\r\n"
                + "\r\n"
                + "--- Below this line is a copy of the message.\r\n"
                + "\r\n");
    }

    @Test
    void theDeliveryStatusPartHasOneBlockPerRecipient() {
        String msg = text(((BounceDecision.Bounce) bouncer()
                .decide("alice@example.org", 42, BIRTH, TWO_FAILED, original, ALLOC)).message());

        assertThat(partHeaders(msg, 1)).isEqualTo("\r\nContent-Type: message/delivery-status\r\n");
        assertThat(part(msg, 1)).isEqualTo("Reporting-MTA: dns; mx.example.com\r\n"
                + "Arrival-Date: Wed, 18 Nov 2026 09:05:07 +0000\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; god@heaven.af.mil\r\n"
                + "Action: failed\r\n"
                + "Status: 5.1.2\r\n"
                + "\r\n"
                + "Final-Recipient: rfc822; bob@example.net\r\n"
                + "Action: failed\r\n"
                + "Status: 5.1.1\r\n"
                + "Remote-MTA: dns; mx1.example.net\r\n"
                + "Diagnostic-Code: smtp; 550 5.1.1 <bob@example.net>: no such user\r\n");
    }

    @Test
    void theWholeOriginalFollowsWithQmailsReturnPath() {
        String msg = text(((BounceDecision.Bounce) bouncer()
                .decide("alice@example.org", 42, BIRTH, TWO_FAILED, original, ALLOC)).message());

        assertThat(partHeaders(msg, 2)).isEqualTo("\r\nContent-Type: message/rfc822\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n");
        assertThat(part(msg, 2)).isEqualTo("Return-Path: <alice@example.org>\r\n" + ORIGINAL);
        assertThat(msg).endsWith("--\r\n");
    }

    @Test
    void decidingIsSafeOnAReactorParallelThread() {
        // BlockHound is installed in the test JVM: any blocking call here would fail this test.
        BounceDecision d = Mono.fromCallable(() -> bouncer().decide("alice@example.org", 42, BIRTH, TWO_FAILED, original, ALLOC))
                .subscribeOn(Schedulers.parallel())
                .block(Duration.ofSeconds(30));

        assertThat(d).isInstanceOf(BounceDecision.Bounce.class);
        assertThat(text(((BounceDecision.Bounce) d).message())).contains("Subject: failure notice");
    }

    @Test
    void aBounceNeedsAFailure() {
        assertThatThrownBy(() -> bouncer().decide("alice@example.org", 42, BIRTH, List.of(), original, ALLOC))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
