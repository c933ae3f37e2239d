package io.tarn.api.classic.wire;

import io.tarn.api.common.Paging;
import io.tarn.api.http.JsonBuffer;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.MergeSummary;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Maps engine records to the classic API's wire shapes: epoch seconds, MD5 hex, snake_case names. */
public final class Wire {
    /** {@code pagination.max_per_page}: the most items any classic page holds. */
    public static final int MAX_PER_PAGE = Paging.MAX_PER_PAGE;
    public static final String OBJECT = "object";
    public static final String COMMON_PREFIX = "common_prefix";

    private Wire() {}

    public static RepositoryJson repository(Repository repository) {
        return new RepositoryJson(repository.id(), repository.creationDate(), repository.defaultBranch(),
                repository.storageNamespace());
    }

    public static ObjectStatsJson object(ObjectEntry entry) {
        return new ObjectStatsJson(entry.path(), OBJECT, entry.checksum(), Math.floorDiv(entry.mtime(), 1000L),
                entry.size());
    }

    /**
     * {@link #object} written straight as bytes (statObject, uploadObject): the text the mapper writes of it
     * ({@code WireJsonTest}), without the record, the mapper's generator and its buffers.
     */
    public static JsonBuffer objectText(ObjectEntry entry, IntFunction<JsonBuffer> buffers) {
        JsonBuffer out = buffers.apply(ObjectText.ENTRY_BYTES + ObjectText.length(entry.path()));
        return ObjectText.object(out, entry);
    }

    /** {@link #page} of {@link #listItem} written straight as bytes (listObjects), as the mapper writes it. */
    public static JsonBuffer listText(Page<ListItem> page, IntFunction<JsonBuffer> buffers) {
        List<ListItem> items = page.items();
        int capacity = 96;
        for (ListItem item : items) {
            capacity += ObjectText.ENTRY_BYTES + ObjectText.length(item.path());
        }
        JsonBuffer out = buffers.apply(capacity);
        out.raw(ObjectText.PAGE_START).bool(page.hasMore());
        if (page.hasMore() && page.nextOffset() != null) {
            out.raw(ObjectText.NEXT_OFFSET).string(page.nextOffset());
        }
        out.raw(ObjectText.RESULTS_COUNT).number(items.size()).raw(ObjectText.MAX_PER_PAGE_RESULTS);
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.raw(',');
            }
            switch (items.get(i)) {
                case ObjectEntry entry -> ObjectText.object(out, entry);
                case CommonPrefix prefix -> ObjectText.path(out, prefix.path()).raw(ObjectText.PREFIX_TYPE);
            }
        }
        return out.raw(ObjectText.PAGE_END);
    }

    /** The pre-encoded parts of {@link ObjectStatsJson} and {@link PageJson} as the mapper writes them. */
    private static final class ObjectText {
        static final byte[] PAGE_START = JsonBuffer.ascii("{\"pagination\":{\"has_more\":");
        static final byte[] NEXT_OFFSET = JsonBuffer.ascii(",\"next_offset\":");
        static final byte[] RESULTS_COUNT = JsonBuffer.ascii(",\"results\":");
        static final byte[] MAX_PER_PAGE_RESULTS = JsonBuffer.ascii(",\"max_per_page\":" + MAX_PER_PAGE + "},\"results\":[");
        static final byte[] PAGE_END = JsonBuffer.ascii("]}");
        static final byte[] PATH = JsonBuffer.ascii("\"path\":");
        static final byte[] OBJECT_TYPE = JsonBuffer.ascii("\"path_type\":\"" + OBJECT + "\"");
        static final byte[] PREFIX_TYPE = JsonBuffer.ascii("\"path_type\":\"" + COMMON_PREFIX + "\"}");
        static final byte[] CHECKSUM = JsonBuffer.ascii(",\"checksum\":");
        static final byte[] MTIME = JsonBuffer.ascii(",\"mtime\":");
        static final byte[] SIZE_BYTES = JsonBuffer.ascii(",\"size_bytes\":");
        /** Bytes of an entry besides its path (names, punctuation, checksum, numbers), rounded up. */
        static final int ENTRY_BYTES = 160;

        /** About the bytes of a path in JSON (most are ASCII; the buffer grows past a guess too small). */
        static int length(String path) {
            return path == null ? 0 : path.length() + 8;
        }

        /** {@code {"path":...,} or {@code {} when there is no path (left out, as the mapper does). */
        static JsonBuffer path(JsonBuffer out, String path) {
            out.raw('{');
            return path == null ? out : out.raw(PATH).string(path).raw(',');
        }

        static JsonBuffer object(JsonBuffer out, ObjectEntry entry) {
            path(out, entry.path()).raw(OBJECT_TYPE);
            if (entry.checksum() != null) {
                out.raw(CHECKSUM).string(entry.checksum());
            }
            return out.raw(MTIME).number(Math.floorDiv(entry.mtime(), 1000L))
                    .raw(SIZE_BYTES).number(entry.size()).raw('}');
        }
    }

    public static ObjectStatsJson listItem(ListItem item) {
        return switch (item) {
            case ObjectEntry entry -> object(entry);
            case CommonPrefix prefix -> new ObjectStatsJson(prefix.path(), COMMON_PREFIX, null, null, null);
        };
    }

    /** A change of a diff or merge: always of one object (diffs do not group paths into prefixes). */
    public static ChangeJson change(Change change) {
        return new ChangeJson(change.type().name().toLowerCase(Locale.ROOT), change.path(), OBJECT);
    }

    public static CommitJson commit(Commit commit) {
        return new CommitJson(commit.id(), commit.parents(), commit.committer(), commit.message(),
                commit.creationDate(), commit.metadata());
    }

    public static MergeSummaryJson summary(MergeSummary summary) {
        return new MergeSummaryJson(summary.added(), summary.removed(), summary.changed(), summary.conflict());
    }

    /** A page of an engine listing; {@code next_offset} only when there is more. */
    public static <T, R> PageJson<R> page(Page<T> page, Function<T, R> item) {
        List<R> results = page.items().stream().map(item).toList();
        String next = page.hasMore() ? page.nextOffset() : null;
        return new PageJson<>(new PaginationJson(page.hasMore(), next, results.size(), MAX_PER_PAGE), results);
    }
}
