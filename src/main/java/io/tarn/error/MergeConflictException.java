package io.tarn.error;

import java.util.List;

/**
 * A merge without a strategy found paths changed differently on both sides.
 *
 * @see #paths() the first conflicting paths (at most 1,000), sorted
 */
public final class MergeConflictException extends TarnException {
    private final List<String> paths;
    private final long total;

    public MergeConflictException(List<String> paths, long total) {
        super("merge conflict: " + total + " conflicting path(s)");
        this.paths = List.copyOf(paths);
        this.total = total;
    }

    public List<String> paths() {
        return paths;
    }

    public long total() {
        return total;
    }
}
