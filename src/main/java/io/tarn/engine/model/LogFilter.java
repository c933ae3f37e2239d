package io.tarn.engine.model;

import java.util.List;

/**
 * Which commits of a history a log shows.
 *
 * @param firstParentOnly follow first parents only
 * @param objects         when not empty (or {@code prefixes} is not), only commits that changed one of
 *                        these paths compared with their first parent (the initial commit: with nothing)
 * @param prefixes        ... or changed something under one of these prefixes
 */
public record LogFilter(boolean firstParentOnly, List<String> objects, List<String> prefixes) {
    public static final LogFilter ALL = new LogFilter(false, List.of(), List.of());

    public LogFilter {
        objects = objects == null ? List.of() : List.copyOf(objects);
        prefixes = prefixes == null ? List.of() : List.copyOf(prefixes);
    }

    /** Whether commits are kept by what they changed. */
    public boolean byPaths() {
        return !objects.isEmpty() || !prefixes.isEmpty();
    }
}
