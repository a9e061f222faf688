package dev.qflux.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    private static final long BIRTH = 1_764_000_000_000L;

    /** Attempt times (seconds after birth) when every attempt starts exactly on time. */
    private static List<Long> series(boolean local, int attempts) {
        List<Long> times = new ArrayList<>();
        long now = BIRTH;
        for (int i = 0; i < attempts; i++) {
            times.add((now - BIRTH) / 1000);
            now = RetrySchedule.nextAttemptMillis(BIRTH, now, local);
        }
        return times;
    }

    @Test
    void remoteAttemptsFallOnQmailsSquares() {
        assertThat(series(false, 6)).containsExactly(0L, 400L, 1600L, 3600L, 6400L, 10000L);
    }

    @Test
    void localAttemptsFallOnTheTighterCurve() {
        assertThat(series(true, 6)).containsExactly(0L, 100L, 400L, 900L, 1600L, 2500L);
    }

    @Test
    void aLateAttemptKeepsTheSchedule() {
        // floor(sqrt(1599)) = 39: an attempt a second early still aims at (39+20)^2.
        assertThat(RetrySchedule.nextAttemptMillis(BIRTH, BIRTH + 1_599_000, false)).isEqualTo(BIRTH + 59L * 59 * 1000);
        // Anything within [400, 1600) s lands on 1600 s: sqrt is floored in whole seconds.
        assertThat(RetrySchedule.nextAttemptMillis(BIRTH, BIRTH + 400_999, false)).isEqualTo(BIRTH + 1_600_000);
        assertThat(RetrySchedule.nextAttemptMillis(BIRTH, BIRTH + 1_599_999, false)).isEqualTo(BIRTH + 59L * 59 * 1000);
    }

    @Test
    void aBirthInTheFutureCountsAsAgeZero() {
        assertThat(RetrySchedule.nextAttemptMillis(BIRTH, BIRTH - 5_000, false)).isEqualTo(BIRTH + 400_000);
    }

    @Test
    void lifetimeBoundaryIsStrictlyAfter() {
        Duration week = RetrySchedule.DEFAULT_QUEUE_LIFETIME;
        assertThat(week).isEqualTo(Duration.ofSeconds(604800));
        assertThat(RetrySchedule.expired(BIRTH, BIRTH + week.toMillis(), week)).isFalse();
        assertThat(RetrySchedule.expired(BIRTH, BIRTH + week.toMillis() + 1, week)).isTrue();
        assertThat(RetrySchedule.expired(BIRTH, BIRTH, Duration.ZERO)).isFalse();
    }

    @Test
    void giveUpKeepsTheLastReason() {
        assertThat(RetrySchedule.GIVE_UP)
                .isEqualTo("I'm not going to try again; this message has been in the queue too long.");
        assertThat(RetrySchedule.giveUpText("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)"))
                .isEqualTo("Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)/" + RetrySchedule.GIVE_UP);
        assertThat(RetrySchedule.giveUpText("")).isEqualTo(RetrySchedule.GIVE_UP);
    }

    @Test
    void floorSqrtIsExact() {
        assertThat(RetrySchedule.floorSqrt(0)).isZero();
        assertThat(RetrySchedule.floorSqrt(399)).isEqualTo(19);
        assertThat(RetrySchedule.floorSqrt(400)).isEqualTo(20);
        assertThat(RetrySchedule.floorSqrt(Long.MAX_VALUE)).isEqualTo(3037000499L);
    }
}
