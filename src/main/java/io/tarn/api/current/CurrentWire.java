package io.tarn.api.current;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.tarn.api.common.ObjectReads;
import io.tarn.api.common.Paging;
import io.tarn.api.http.Json;
import io.tarn.engine.model.Change;
import io.tarn.engine.model.Commit;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.io.IOException;
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

    /**
     * ObjectStats, written by {@link ObjectStatsWriter} (every answer of stat, list, upload and copy,
     * a page holds up to 1,000): the fields in this order, a null one left out.
     */
    @JsonSerialize(using = ObjectStatsWriter.class)
    record ObjectStatsJson(String path, String pathType, String physicalAddress, Long physicalAddressExpiry,
                           String checksum, Long sizeBytes, long mtime, Map<String, String> metadata,
                           String contentType) {}

    /**
     * Writes {@link ObjectStatsJson} straight to the generator, its names encoded once and its strings
     * through {@link Json#writeString}: an entry of this API is twice the bytes of a classic one (the
     * physical address, the content type, the metadata), and the generator's per-character string
     * path made a listing through this API cost a fifth more server CPU than through the classic one.
     * The bytes are those the bean serializer wrote (names, order, nulls left out).
     */
    static final class ObjectStatsWriter extends StdSerializer<ObjectStatsJson> {
        private static final SerializedString PATH = new SerializedString("path");
        private static final SerializedString PATH_TYPE = new SerializedString("path_type");
        private static final SerializedString PHYSICAL_ADDRESS = new SerializedString("physical_address");
        private static final SerializedString PHYSICAL_ADDRESS_EXPIRY = new SerializedString("physical_address_expiry");
        private static final SerializedString CHECKSUM = new SerializedString("checksum");
        private static final SerializedString SIZE_BYTES = new SerializedString("size_bytes");
        private static final SerializedString MTIME = new SerializedString("mtime");
        private static final SerializedString METADATA = new SerializedString("metadata");
        private static final SerializedString CONTENT_TYPE = new SerializedString("content_type");
        // the values most entries share, encoded once
        private static final SerializedString OBJECT_VALUE = new SerializedString(OBJECT);
        private static final SerializedString COMMON_PREFIX_VALUE = new SerializedString(COMMON_PREFIX);
        private static final SerializedString OCTET_STREAM_VALUE = new SerializedString(ObjectReads.OCTET_STREAM);

        ObjectStatsWriter() {
            super(ObjectStatsJson.class);
        }

        @Override
        public void serialize(ObjectStatsJson value, JsonGenerator out, SerializerProvider provider) throws IOException {
            out.writeStartObject(value);
            string(out, PATH, value.path());
            string(out, PATH_TYPE, value.pathType(), OBJECT_VALUE, COMMON_PREFIX_VALUE);
            string(out, PHYSICAL_ADDRESS, value.physicalAddress());
            if (value.physicalAddressExpiry() != null) {
                out.writeFieldName(PHYSICAL_ADDRESS_EXPIRY);
                out.writeNumber(value.physicalAddressExpiry());
            }
            string(out, CHECKSUM, value.checksum());
            if (value.sizeBytes() != null) {
                out.writeFieldName(SIZE_BYTES);
                out.writeNumber(value.sizeBytes());
            }
            out.writeFieldName(MTIME);
            out.writeNumber(value.mtime());
            if (value.metadata() != null) {
                out.writeFieldName(METADATA);
                out.writeStartObject();
                for (Map.Entry<String, String> field : value.metadata().entrySet()) {
                    if (field.getValue() != null) {
                        out.writeFieldName(field.getKey());
                        Json.writeString(out, field.getValue());
                    }
                }
                out.writeEndObject();
            }
            string(out, CONTENT_TYPE, value.contentType(), OCTET_STREAM_VALUE, OCTET_STREAM_VALUE);
            out.writeEndObject();
        }

        private static void string(JsonGenerator out, SerializedString name, String value) throws IOException {
            if (value != null) {
                out.writeFieldName(name);
                Json.writeString(out, value);
            }
        }

        /** A field whose value is often {@code common} or {@code other} (written pre-encoded then). */
        private static void string(JsonGenerator out, SerializedString name, String value, SerializedString common,
                                   SerializedString other) throws IOException {
            if (value == null) {
                return;
            }
            out.writeFieldName(name);
            if (value.equals(common.getValue())) {
                out.writeString(common);
            } else if (value.equals(other.getValue())) {
                out.writeString(other);
            } else {
                Json.writeString(out, value);
            }
        }
    }

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
                entry.contentType() == null ? ObjectReads.OCTET_STREAM : entry.contentType());
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
