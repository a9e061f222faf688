package dev.qflux.smtp.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SessionLimiterTest {
    @Test
    void limitsInTotalAndPerAddressAndReleases() throws Exception {
        SessionLimiter limiter = new SessionLimiter();
        InetAddress a = InetAddress.getByName("192.0.2.1");
        InetAddress b = InetAddress.getByName("192.0.2.2");
        assertThat(limiter.tryAcquire(a, 3, 2)).isNull();
        assertThat(limiter.tryAcquire(a, 3, 2)).isNull();
        assertThat(limiter.tryAcquire(a, 3, 2)).isEqualTo(SessionLimiter.TOO_MANY_FROM_YOU);
        assertThat(limiter.tryAcquire(b, 3, 2)).isNull();
        assertThat(limiter.tryAcquire(b, 3, 2)).isEqualTo(SessionLimiter.TOO_MANY_SESSIONS);
        assertThat(limiter.open()).isEqualTo(3);
        limiter.release(a);
        assertThat(limiter.tryAcquire(b, 3, 2)).isNull();
        limiter.release(a);
        limiter.release(b);
        limiter.release(b);
        assertThat(limiter.open()).isZero();
        assertThat(limiter.tryAcquire(a, 3, 2)).isNull();
    }
}
