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
import io.tarn.api.http.JsonBuffer;
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
import java.util.function.IntFunction;

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

    /** A presigned physical address of an object: a GET URL and when it expires (epoch seconds). */
    record Presigned(String url, long expiry) {}

    /**
     * A page of listObjects written straight as bytes: exactly what {@link #page} of {@link #listItem}
     * serializes to ({@code CurrentWireTest}), without an {@link ObjectStatsJson} per entry, a string
     * per physical address (the namespace, the same for the whole page, is copied before each
     * address), or the mapper's buffers and copies: a page of this API is twice the bytes of a classic
     * one, so its cost is per byte.
     *
     * @param presign the presigned address of an entry, or {@code null} for the namespace's address
     * @param buffers a buffer of about the given size ({@link io.tarn.api.http.ApiResponse#jsonBuffer})
     */
    static JsonBuffer objectPage(Repository repository, Page<ListItem> page, boolean userMetadata,
                                 Function<ObjectEntry, Presigned> presign, IntFunction<JsonBuffer> buffers) {
        return ObjectPageWriter.write(repository, page, userMetadata, presign, buffers);
    }

    /** The bytes of {@link #objectPage}: pre-encoded names, values copied in bulk (see {@link JsonBuffer}). */
    private static final class ObjectPageWriter {
        private static final byte[] PAGE_START = JsonBuffer.ascii("{\"pagination\":{\"has_more\":");
        private static final byte[] NEXT_OFFSET = JsonBuffer.ascii(",\"next_offset\":");
        private static final byte[] RESULTS_COUNT = JsonBuffer.ascii(",\"results\":");
        private static final byte[] MAX_PER_PAGE_RESULTS = JsonBuffer.ascii(
                ",\"max_per_page\":" + MAX_PER_PAGE + "},\"results\":[");
        private static final byte[] PAGE_END = JsonBuffer.ascii("]}");
        private static final byte[] PATH = JsonBuffer.ascii("\"path\":");
        private static final byte[] OBJECT_TYPE = JsonBuffer.ascii("\"path_type\":\"" + OBJECT + "\"");
        private static final byte[] PREFIX_REST = JsonBuffer.ascii("\"path_type\":\"" + COMMON_PREFIX
                + "\",\"physical_address\":\"\",\"checksum\":\"\",\"mtime\":0}");
        private static final byte[] PHYSICAL_ADDRESS = JsonBuffer.ascii(",\"physical_address\":");
        private static final byte[] PHYSICAL_ADDRESS_EXPIRY = JsonBuffer.ascii(",\"physical_address_expiry\":");
        private static final byte[] CHECKSUM = JsonBuffer.ascii(",\"checksum\":");
        private static final byte[] SIZE_BYTES = JsonBuffer.ascii(",\"size_bytes\":");
        private static final byte[] MTIME = JsonBuffer.ascii(",\"mtime\":");
        private static final byte[] METADATA = JsonBuffer.ascii(",\"metadata\":{");
        private static final byte[] NO_METADATA = JsonBuffer.ascii(",\"metadata\":{}");
        private static final byte[] CONTENT_TYPE = JsonBuffer.ascii(",\"content_type\":");
        private static final byte[] OCTET_STREAM_END = JsonBuffer.ascii(
                ",\"content_type\":\"" + ObjectReads.OCTET_STREAM + "\"}");
        /** Bytes of an entry besides its strings and metadata (names, punctuation, numbers), rounded up. */
        private static final int ENTRY_BYTES = 192;

        static JsonBuffer write(Repository repository, Page<ListItem> page, boolean userMetadata,
                                Function<ObjectEntry, Presigned> presign, IntFunction<JsonBuffer> buffers) {
            List<ListItem> items = page.items();
            String namespace = repository.storageNamespace();
            // what physicalAddress() puts before a key relative to the namespace
            JsonBuffer.Part prefix = JsonBuffer.Part.of(namespace.endsWith("/") ? namespace : namespace + "/");
            JsonBuffer out = buffers.apply(capacity(items, prefix.text().length(), userMetadata));
            out.raw(PAGE_START).bool(page.hasMore()).raw(NEXT_OFFSET)
                    .string(page.hasMore() && page.nextOffset() != null ? page.nextOffset() : "")
                    .raw(RESULTS_COUNT).number(items.size()).raw(MAX_PER_PAGE_RESULTS);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    out.raw(',');
                }
                switch (items.get(i)) {
                    case ObjectEntry entry -> object(out, entry, prefix, userMetadata, presign);
                    case CommonPrefix common -> path(out, common.path()).raw(PREFIX_REST);
                }
            }
            return out.raw(PAGE_END);
        }

        /** {@code {"path":...,} or {@code {} when there is no path (left out, as the mapper does). */
        private static JsonBuffer path(JsonBuffer out, String path) {
            out.raw('{');
            return path == null ? out : out.raw(PATH).string(path).raw(',');
        }

        private static void object(JsonBuffer out, ObjectEntry entry, JsonBuffer.Part prefix, boolean userMetadata,
                                   Function<ObjectEntry, Presigned> presign) {
            path(out, entry.path()).raw(OBJECT_TYPE).raw(PHYSICAL_ADDRESS);
            Presigned presigned = presign == null ? null : presign.apply(entry);
            if (presigned != null) {
                out.string(presigned.url()).raw(PHYSICAL_ADDRESS_EXPIRY).number(presigned.expiry());
            } else if (entry.physicalAddress().contains("://")) {
                out.string(entry.physicalAddress());
            } else {
                out.string(prefix, entry.physicalAddress());
            }
            if (entry.checksum() != null) {
                out.raw(CHECKSUM).string(entry.checksum());
            }
            out.raw(SIZE_BYTES).number(entry.size()).raw(MTIME).number(Math.floorDiv(entry.mtime(), 1000L));
            if (userMetadata) {
                metadata(out, entry.metadata());
            }
            String contentType = entry.contentType();
            if (contentType == null || contentType.equals(ObjectReads.OCTET_STREAM)) {
                out.raw(OCTET_STREAM_END);
            } else {
                out.raw(CONTENT_TYPE).string(contentType).raw('}');
            }
        }

        private static void metadata(JsonBuffer out, Map<String, String> metadata) {
            if (metadata.isEmpty()) {
                out.raw(NO_METADATA);
                return;
            }
            out.raw(METADATA);
            boolean first = true;
            for (Map.Entry<String, String> field : metadata.entrySet()) {
                if (field.getValue() != null) {
                    if (!first) {
                        out.raw(',');
                    }
                    first = false;
                    out.string(field.getKey()).raw(':').string(field.getValue());
                }
            }
            out.raw('}');
        }

        /** The page's size when its strings need no escaping (the buffer grows when they do). */
        private static int capacity(List<ListItem> items, int prefixLength, boolean userMetadata) {
            long n = 128;
            for (ListItem item : items) {
                n += ENTRY_BYTES + length(item.path());
                if (item instanceof ObjectEntry entry) {
                    n += prefixLength + length(entry.physicalAddress()) + length(entry.checksum())
                            + length(entry.contentType());
                    if (userMetadata && !entry.metadata().isEmpty()) {
                        for (Map.Entry<String, String> field : entry.metadata().entrySet()) {
                            n += 6 + length(field.getKey()) + length(field.getValue());
                        }
                    }
                }
            }
            return (int) Math.min(n, Integer.MAX_VALUE - 16);
        }

        private static int length(String s) {
            return s == null ? 0 : s.length();
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

    /** An entry of a listing, as {@link #objectPage} writes it. */
    static ObjectStatsJson listItem(Repository repository, ListItem item, boolean userMetadata) {
        return switch (item) {
            case ObjectEntry entry -> object(repository, entry, userMetadata);
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
