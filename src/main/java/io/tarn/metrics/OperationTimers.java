package io.tarn.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One timer per operation name under one meter name (tag {@code operation}), all registered up
 * front so that every operation is exported before its first call.
 */
final class OperationTimers {
    private final Map<String, Timer> byOperation = new HashMap<>();

    OperationTimers(MeterRegistry registry, String name, String description, Duration[] buckets,
            String... operations) {
        for (String operation : operations) {
            byOperation.put(operation, Timer.builder(name)
                    .description(description)
                    .tag("operation", operation)
                    .serviceLevelObjectives(buckets)
                    .register(registry));
        }
    }

    /** The timer of {@code operation}, one of those named at construction. */
    Timer of(String operation) {
        Timer timer = byOperation.get(operation);
        if (timer == null) {
            throw new IllegalArgumentException("no timer for operation " + operation);
        }
        return timer;
    }

    /** Records the time since {@code start} ({@link System#nanoTime()}) for {@code operation}. */
    void record(String operation, long start) {
        of(operation).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
}
