package dev.qflux.deliver.remote;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** qmail-tcpto's rules: two timeouts in a row skip an address for a while; anything else clears it. */
class ConnectTimeoutsTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final ConnectTimeouts timeouts = new ConnectTimeouts(now::get);
    private final InetSocketAddress host = new InetSocketAddress(InetAddress.getLoopbackAddress(), 25);

    @Test
    void oneTimeoutIsNotEnoughToSkip() {
        timeouts.attempted(host, true);
        assertThat(timeouts.skipReason(host)).isNull();
    }

    @Test
    void twoTimeoutsInARowSkipTheAddressUntilTheSkipTimeHasPassed() {
        timeouts.attempted(host, true);
        now.addAndGet(10_000);
        timeouts.attempted(host, true);
        now.addAndGet(ConnectTimeouts.SKIP.toMillis() - 1);
        assertThat(timeouts.skipReason(host))
                .startsWith("Sorry, I wasn't able to establish an SMTP connection to 127.0.0.1: its last 2 "
                        + "connections timed out")
                .endsWith("(#4.4.1)");
        now.addAndGet(1);
        assertThat(timeouts.skipReason(host)).as("tried again once the skip time is over").isNull();
    }

    @Test
    void aConnectionOrAQuickRefusalClearsTheAddress() {
        timeouts.attempted(host, true);
        timeouts.attempted(host, true);
        timeouts.attempted(host, false);
        assertThat(timeouts.skipReason(host)).isNull();
        timeouts.attempted(host, true);
        assertThat(timeouts.skipReason(host)).as("the count starts again").isNull();
    }
}
