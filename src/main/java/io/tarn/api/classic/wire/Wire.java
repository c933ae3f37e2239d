package io.tarn.api.classic.wire;

import io.tarn.api.common.Paging;
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
