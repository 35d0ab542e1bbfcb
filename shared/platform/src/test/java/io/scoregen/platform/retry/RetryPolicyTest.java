package io.scoregen.platform.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    @Test
    void backoffGrowsGeometricallyUpToItsCap() {
        RetryPolicy p = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofMillis(1000), 3.0);
        List<Long> waits = IntStream.rangeClosed(1, 5)
                .mapToObj(n -> p.backoffAfter(n).toMillis())
                .toList();
        assertEquals(List.of(100L, 300L, 900L, 1000L, 1000L), waits);
        assertThrows(IllegalArgumentException.class, () -> p.backoffAfter(0));
    }

    @Test
    void aVeryLateAttemptWaitsTheCapNotAnOverflow() {
        RetryPolicy forever = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(1), Duration.ofMinutes(1), 2.0);
        assertEquals(Duration.ofMinutes(1), forever.backoffAfter(Integer.MAX_VALUE));
    }

    @Test
    void nonsenseIsRejected() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(0, Duration.ofMillis(1), Duration.ofMillis(1), 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(1), 2));
        assertThrows(
                IllegalArgumentException.class,
                () -> new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), Double.NaN));
    }
}
