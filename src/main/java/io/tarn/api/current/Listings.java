package io.tarn.api.current;

import io.tarn.engine.model.Change;
import io.tarn.engine.model.Page;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Filters the engine's listings (ordered by the UTF-8 bytes of their keys) the way the current API's
 * query parameters ask: a {@code prefix} (a contiguous run: the listing starts just before it and
 * stops after it), any other condition (e.g. {@code search}), and, for diffs, a {@code delimiter} that
 * groups changes into one {@code prefix_changed} entry per common prefix.
 */
final class Listings {
    /** The largest code point: a key + this sorts after every key that starts with key (in UTF-8 order). */
    static final String MAX_SUFFIX = new String(Character.toChars(Character.MAX_CODE_POINT));

    /** A listing of the engine: the page after {@code after} (exclusive) of at most {@code amount} items. */
    @FunctionalInterface
    interface Source<T> {
        Page<T> page(String after, int amount);
    }

    private Listings() {}

    /** Compares strings by their UTF-8 bytes (unsigned), the engine's order. */
    static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A key that sorts before every key starting with {@code prefix} and after (almost) every key
     * before them, so that listing "after" it starts at the prefix without scanning what precedes it.
     */
    static String justBefore(String prefix) {
        if (prefix.isEmpty()) {
            return "";
        }
        int last = prefix.codePointBefore(prefix.length());
        String head = prefix.substring(0, prefix.length() - Character.charCount(last));
        int previous = last - 1;
        if (previous < 0 || (previous >= Character.MIN_SURROGATE && previous <= Character.MAX_SURROGATE)) {
            return head;
        }
        return head + new String(Character.toChars(previous)) + MAX_SUFFIX;
    }

    /** Where a listing restricted to {@code prefix} starts, given the client's {@code after}. */
    static String start(String prefix, String after) {
        String before = justBefore(prefix);
        return compare(after, before) > 0 ? after : before;
    }

    /**
     * One page of {@code source} restricted to keys starting with {@code prefix} and items for which
     * {@code keep} holds, after {@code after}; {@code next_offset} is the last key on the page.
     */
    static <T> Page<T> filtered(Source<T> source, Function<T, String> key, String prefix, Predicate<T> keep,
                                String after, int amount) {
        List<T> out = new ArrayList<>();
        String cursor = start(prefix, after);
        boolean more = true;
        scan:
        while (more && out.size() <= amount) {
            Page<T> page = source.page(cursor, amount + 1);
            for (T item : page.items()) {
                String k = key.apply(item);
                cursor = k;
                if (!k.startsWith(prefix)) {
                    if (compare(k, prefix) > 0) {
                        more = false;
                        break scan;
                    }
                    continue;
                }
                if (keep.test(item)) {
                    out.add(item);
                    if (out.size() > amount) {
                        break scan;
                    }
                }
            }
            more = page.hasMore() && !page.items().isEmpty();
        }
        return trim(out, amount, key);
    }

    private static <T> Page<T> trim(List<T> out, int amount, Function<T, String> key) {
        if (out.size() > amount) {
            List<T> kept = out.subList(0, amount);
            return new Page<>(kept, true, key.apply(kept.getLast()));
        }
        return new Page<>(out, false, null);
    }

    /** A change, or a common prefix of changes (when a delimiter groups them). */
    sealed interface DiffItem {
        String path();
    }

    record One(Change change) implements DiffItem {
        @Override
        public String path() {
            return change.path();
        }
    }

    record Group(String path) implements DiffItem {}

    /**
     * One page of a diff restricted to {@code prefix}, with the changes below each
     * {@code prefix + ... + delimiter} grouped into one {@link Group} (no grouping when the delimiter
     * is empty). An {@code after} that is a group's path continues after the whole group.
     */
    static Page<DiffItem> diff(Source<Change> source, String prefix, String delimiter, String after, int amount) {
        String from = after;
        if (!delimiter.isEmpty() && !from.isEmpty() && from.startsWith(prefix) && from.endsWith(delimiter)
                && from.length() > prefix.length()) {
            from = from + MAX_SUFFIX;
        }
        List<DiffItem> out = new ArrayList<>();
        String cursor = start(prefix, from);
        boolean more = true;
        scan:
        while (more && out.size() <= amount) {
            Page<Change> page = source.page(cursor, amount + 1);
            more = page.hasMore() && !page.items().isEmpty();
            for (Change change : page.items()) {
                String path = change.path();
                cursor = path;
                if (!path.startsWith(prefix)) {
                    if (compare(path, prefix) > 0) {
                        more = false;
                        break scan;
                    }
                    continue;
                }
                int cut = delimiter.isEmpty() ? -1 : path.indexOf(delimiter, prefix.length());
                if (cut < 0) {
                    out.add(new One(change));
                } else {
                    String group = path.substring(0, cut + delimiter.length());
                    out.add(new Group(group));
                    cursor = group + MAX_SUFFIX; // skip the rest of the group
                    more = true;
                    if (out.size() > amount) {
                        break scan;
                    }
                    continue scan;
                }
                if (out.size() > amount) {
                    break scan;
                }
            }
        }
        return trim(out, amount, DiffItem::path);
    }
}
