package io.tarn.api.http;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many requests with a body each client address has in flight, against a cap: past it, the
 * request is refused with 503 and {@code Retry-After} before its body is read, so one client cannot
 * tie up the server's buffers and storage streams with uploads.
 */
final class UploadSlots {
    static final String RETRY_AFTER_SECONDS = "1";

    private final int perClient;
    private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    UploadSlots(int perClient) {
        if (perClient < 1) {
            throw new IllegalArgumentException("at least one upload per client");
        }
        this.perClient = perClient;
    }

    /**
     * Takes a slot for {@code client}.
     *
     * @throws ApiException 503 with {@code Retry-After} when the client has all its slots in use
     */
    void acquire(String client) {
        AtomicInteger count = inFlight.compute(client, (k, v) -> {
            AtomicInteger c = v == null ? new AtomicInteger() : v;
            c.incrementAndGet();
            return c;
        });
        if (count.get() > perClient) {
            release(client);
            throw new ApiException(503, "too many uploads in flight from " + client + " (at most " + perClient
                    + " at a time); retry later").withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
    }

    void release(String client) {
        inFlight.computeIfPresent(client, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    /** Slots in use by {@code client} (tests). */
    int inUse(String client) {
        AtomicInteger count = inFlight.get(client);
        return count == null ? 0 : count.get();
    }
}
