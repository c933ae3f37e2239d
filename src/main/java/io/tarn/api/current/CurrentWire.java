package io.tarn.api.current;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.tarn.api.common.Paging;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The current API's schemas (names as in {@code api/openapi.json}) and the mapping of engine records
 * to them: epoch seconds, MD5 hex checksums, full physical addresses, and every pagination field.
 */
final class CurrentWire {
    static final int MAX_PER_PAGE = Paging.MAX_PER_PAGE;
    static final String OBJECT = "object";
    static final String COMMON_PREFIX = "common_prefix";

    private CurrentWire() {}

    record Pagination(@JsonProperty("has_more") boolean hasMore, @JsonProperty("next_offset") String nextOffset,
                      @JsonProperty("results") int results, @JsonProperty("max_per_page") int maxPerPage) {}

    record PageJson<T>(@JsonProperty("pagination") Pagination pagination, @JsonProperty("results") List<T> results) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RepositoryJson(@JsonProperty("id") String id, @JsonProperty("creation_date") long creationDate,
                          @JsonProperty("default_branch") String defaultBranch,
                          @JsonProperty("storage_namespace") String storageNamespace,
                          @JsonProperty("read_only") Boolean readOnly) {}

    record RefJson(@JsonProperty("id") String id, @JsonProperty("commit_id") String commitId) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record CommitJson(@JsonProperty("id") String id, @JsonProperty("parents") List<String> parents,
                      @JsonProperty("committer") String committer, @JsonProperty("message") String message,
                      @JsonProperty("creation_date") long creationDate, @JsonProperty("meta_range_id") String metaRangeId,
                      @JsonProperty("metadata") Map<String, String> metadata,
                      @JsonProperty("generation") Long generation) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ObjectStatsJson(@JsonProperty("path") String path, @JsonProperty("path_type") String pathType,
                           @JsonProperty("physical_address") String physicalAddress,
                           @JsonProperty("physical_address_expiry") Long physicalAddressExpiry,
                           @JsonProperty("checksum") String checksum, @JsonProperty("size_bytes") Long sizeBytes,
                           @JsonProperty("mtime") long mtime, @JsonProperty("metadata") Map<String, String> metadata,
                           @JsonProperty("content_type") String contentType) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record DiffJson(@JsonProperty("type") String type, @JsonProperty("path") String path,
                    @JsonProperty("path_type") String pathType, @JsonProperty("size_bytes") Long sizeBytes) {}

    static RepositoryJson repository(Repository repository) {
        return new RepositoryJson(repository.id(), repository.creationDate(), repository.defaultBranch(),
                repository.storageNamespace(), false);
    }

    static CommitJson commit(Commit commit) {
        return new CommitJson(commit.id(), commit.parents(), commit.committer(), commit.message(),
                commit.creationDate(), commit.treeId() == null ? "" : commit.treeId(), commit.metadata(),
                commit.generation());
    }

    /** An object; its physical address is the full URI in the repository's namespace. */
    static ObjectStatsJson object(Repository repository, ObjectEntry entry, boolean userMetadata) {
        return object(entry, physicalAddress(repository, entry), null, userMetadata);
    }

    /** An object whose physical address is a presigned URL expiring at {@code expiry} (epoch seconds). */
    static ObjectStatsJson object(ObjectEntry entry, String address, Long expiry, boolean userMetadata) {
        return new ObjectStatsJson(entry.path(), OBJECT, address, expiry, entry.checksum(),
                entry.size(), Math.floorDiv(entry.mtime(), 1000L), userMetadata ? entry.metadata() : null,
                entry.contentType() == null ? "application/octet-stream" : entry.contentType());
    }

    static ObjectStatsJson listItem(Repository repository, ListItem item, boolean userMetadata) {
        return listItem(repository, item, userMetadata, entry -> object(repository, entry, userMetadata));
    }

    static ObjectStatsJson listItem(Repository repository, ListItem item, boolean userMetadata,
                                    Function<ObjectEntry, ObjectStatsJson> objects) {
        return switch (item) {
            case ObjectEntry entry -> objects.apply(entry);
            case CommonPrefix prefix -> new ObjectStatsJson(prefix.path(), COMMON_PREFIX, "", null, "", null, 0, null, null);
        };
    }

    static String physicalAddress(Repository repository, ObjectEntry entry) {
        String address = entry.physicalAddress();
        if (address.contains("://")) {
            return address;
        }
        String namespace = repository.storageNamespace();
        return namespace.endsWith("/") ? namespace + address : namespace + "/" + address;
    }

    static DiffJson change(Change change) {
        Long size = change.entry() == null ? null : change.entry().size();
        return new DiffJson(change.type().name().toLowerCase(Locale.ROOT), change.path(), OBJECT, size);
    }

    static DiffJson changedPrefix(String prefix) {
        return new DiffJson("prefix_changed", prefix, COMMON_PREFIX, null);
    }

    /** A page in the current shape: {@code next_offset} is "" on the last page. */
    static <T, R> PageJson<R> page(Page<T> page, Function<T, R> item) {
        List<R> results = page.items().stream().map(item).toList();
        String next = page.hasMore() && page.nextOffset() != null ? page.nextOffset() : "";
        return new PageJson<>(new Pagination(page.hasMore(), next, results.size(), MAX_PER_PAGE), results);
    }
}
