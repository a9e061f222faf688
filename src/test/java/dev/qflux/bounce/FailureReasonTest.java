package dev.qflux.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FailureReasonTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        // The remote host's enhanced code wins.
        "Connected to 192.0.2.1 but sender was rejected./Remote host said: 550 5.1.1 no such user/ | 5.1.1",
        "Remote host said: 554-5.7.1 policy/554 5.7.1 see https://example.net/why | 5.7.1",
        // ...even over a qmail code in the same text.
        "Remote host said: 552 5.2.2 mailbox full/I'm not going to try again. (#5.0.0) | 5.2.2",
        // qmail's own texts: the (#x.y.z) at the end.
        "Sorry, I couldn't find any host by that name. (#5.1.2)/ | 5.1.2",
        "Sorry, no mailbox here by that name. (#5.1.1)/ | 5.1.1",
        "This message is looping: it already has my Delivered-To line. (#5.4.6)/ | 5.4.6",
        // A transient code that lasted past queuelifetime stays what it was.
        "I'm not going to try again; this message has been in the queue too long. (#4.4.1) | 4.4.1",
        // No enhanced code in the reply: qmail's code, else the default.
        "Remote host said: 550 go away (#5.7.1) | 5.7.1",
        "Remote host said: 550 go away | 5.0.0",
        "Something odd happened. | 5.0.0",
        // Not enhanced codes: too many digits, or a version number.
        "Remote host said: 550 5.1.1234 odd | 5.0.0",
        "software 5.1.1.2 broke (#5.3.0) | 5.3.0",
    })
    void statusComesFromTheReplyThenQmailsCodeThenTheDefault(String reason, String status) {
        assertThat(new FailureReason(reason).status()).isEqualTo(status);
    }

    @Test
    void theRemoteReplyIsWhatFollowsRemoteHostSaidWithItsLinesJoined() {
        FailureReason r = new FailureReason(
                "Connected to 192.0.2.1 but sender was rejected./Remote host said: 550-5.7.1 first/550 5.7.1 second/");
        assertThat(r.remoteReply()).contains("550-5.7.1 first 550 5.7.1 second");
        assertThat(new FailureReason("Sorry. (#5.1.2)/").remoteReply()).isEmpty();
    }

    @Test
    void slashesBecomeLinesWithoutEmptyLines() {
        assertThat(new FailureReason("one/two/").lines()).containsExactly("one", "two");
        // An empty line would end the QSBMF paragraph: qmail kept such a break as "/".
        assertThat(new FailureReason("one//two").lines()).containsExactly("one", "/two");
        assertThat(new FailureReason("").lines()).containsExactly("Unknown failure.");
        assertThat(new FailureReason("/").lines()).containsExactly("Unknown failure.");
    }
}
