package dev.qflux.bounce;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DeliveryStatusTest {

    @Test
    void anAsciiAddressIsAnRfc822Address() {
        assertThat(DeliveryStatus.finalRecipient("bob@example.net")).isEqualTo("rfc822; bob@example.net");
    }

    @Test
    void aNonAsciiAddressIsRfc6533Utf8XtextSoThePartStaysAscii() {
        assertThat(DeliveryStatus.finalRecipient("jöran+x@exämple.net"))
                .isEqualTo("utf-8; j\\x{F6}ran\\x{2B}x@ex\\x{E4}mple.net");
        assertThat(DeliveryStatus.utf8AddrXtext("用户@例子.广告"))
                .isEqualTo("\\x{7528}\\x{6237}@\\x{4F8B}\\x{5B50}.\\x{5E7F}\\x{544A}");
    }
}
