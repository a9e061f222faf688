package dev.qflux;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Guards the guard: the test JVM must fail a blocking call on a non-blocking thread. */
class BlockHoundInstalledTest {
    @Test
    void blockingOnAParallelThreadIsReported() {
        Throwable error = Mono.fromCallable(() -> {
                    java.util.concurrent.locks.LockSupport.parkNanos(1_000);
                    return "slept";
                })
                .subscribeOn(Schedulers.parallel())
                .map(Object::toString)
                .onErrorResume(e -> Mono.just(e.getClass().getName()))
                .map(name -> new RuntimeException(name))
                .block(Duration.ofSeconds(30));
        assertThat(error.getMessage()).isEqualTo("reactor.blockhound.BlockingOperationError");
    }
}
