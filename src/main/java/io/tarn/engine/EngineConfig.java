package io.tarn.engine;

import io.tarn.engine.tree.Boundary;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Tuning of a {@link TarnEngine}.
 *
 * @param cacheDir          local directory for the range-file cache and temporary files (created if missing)
 * @param diskCacheBytes    budget of the local range-file cache
 * @param memoryCacheBytes  budget of decoded ranges kept in memory
 * @param boundary          how committed trees are cut into ranges
 * @param maxRetries        attempts of a compare-and-set loop before {@code TooManyRetriesException}
 */
public record EngineConfig(Path cacheDir, long diskCacheBytes, long memoryCacheBytes, Boundary boundary,
                           int maxRetries) {

    public EngineConfig {
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(boundary, "boundary");
        if (diskCacheBytes < 1 || memoryCacheBytes < 1 || maxRetries < 1) {
            throw new IllegalArgumentException("cache budgets and retries must be positive");
        }
    }

    /** 4 GiB of disk cache, a quarter of the heap for decoded ranges, default range cutting, 64 retries. */
    public static EngineConfig defaults(Path cacheDir) {
        return new EngineConfig(cacheDir, 4L << 30, Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4),
                Boundary.defaults(), 64);
    }

    public EngineConfig withMemoryCacheBytes(long bytes) {
        return new EngineConfig(cacheDir, diskCacheBytes, bytes, boundary, maxRetries);
    }

    public EngineConfig withBoundary(Boundary b) {
        return new EngineConfig(cacheDir, diskCacheBytes, memoryCacheBytes, b, maxRetries);
    }
}
