package io.tarn.gc;

import java.time.Duration;
import java.util.Objects;

/**
 * How one collection runs.
 *
 * @param grace       nothing written less than this long before the run starts is deleted; beside
 *                    running servers it must be at least {@link io.tarn.engine.GcAccess#MIN_SAFE_GRACE}
 * @param dryRun      write the report, delete nothing, abort no upload
 * @param spillChunk  keys held in memory before the marked set spills a sorted run to disk
 * @param deleteThreads parallel deletions
 */
public record GcOptions(Duration grace, boolean dryRun, int spillChunk, int deleteThreads) {
    /** The grace period when none is configured. */
    public static final Duration DEFAULT_GRACE = Duration.ofHours(6);

    public GcOptions {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("the grace period must not be negative");
        }
        if (spillChunk < 1 || deleteThreads < 1) {
            throw new IllegalArgumentException("spillChunk and deleteThreads must be positive");
        }
    }

    public static GcOptions defaults() {
        return new GcOptions(DEFAULT_GRACE, false, 200_000, 8);
    }

    public GcOptions withGrace(Duration g) {
        return new GcOptions(g, dryRun, spillChunk, deleteThreads);
    }

    public GcOptions withDryRun(boolean d) {
        return new GcOptions(grace, d, spillChunk, deleteThreads);
    }

    public GcOptions withSpillChunk(int c) {
        return new GcOptions(grace, dryRun, c, deleteThreads);
    }
}
