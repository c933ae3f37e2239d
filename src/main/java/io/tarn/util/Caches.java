package io.tarn.util;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Where every cache of the server starts: a Caffeine builder whose upkeep (draining its read and
 * write buffers, evicting, expiring, calling eviction listeners) runs on the thread that used the
 * cache, right after that use.
 *
 * <p>Caffeine's default hands that upkeep to {@code ForkJoinPool.commonPool()} after a write: a task
 * submitted and a thread woken for each burst of puts, which on a server of one or two cores is a
 * context switch taken from the request that made the put. The work itself is small and bounded
 * (a drain of the buffers, amortised over the uses), so doing it in place costs less than the handoff.
 */
public final class Caches {
    private Caches() {}

    /** A new builder, upkeep on the calling thread. */
    public static Caffeine<Object, Object> builder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
