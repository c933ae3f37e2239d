package io.tarn.api.current;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.api.http.Json;
import io.tarn.api.http.JsonBuffer;
import io.tarn.engine.model.CommonPrefix;
import io.tarn.engine.model.ListItem;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.model.Page;
import io.tarn.engine.model.Repository;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CurrentWire.ObjectStatsWriter} writes the very bytes Jackson's bean serializer writes for the
 * same record (names, order, escapes, nulls left out), whichever generator it is given; the page
 * writer of listObjects ({@link CurrentWire#objectPage}) writes the bytes the bean serializer writes
 * for the page of those records.
 */
class CurrentWireTest {

    /** ObjectStats as the bean serializer writes it: the reference. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Reference(@JsonProperty("path") String path, @JsonProperty("path_type") String pathType,
                     @JsonProperty("physical_address") String physicalAddress,
                     @JsonProperty("physical_address_expiry") Long physicalAddressExpiry,
                     @JsonProperty("checksum") String checksum, @JsonProperty("size_bytes") Long sizeBytes,
                     @JsonProperty("mtime") long mtime, @JsonProperty("metadata") Map<String, String> metadata,
                     @JsonProperty("content_type") String contentType) {
        static Reference of(CurrentWire.ObjectStatsJson o) {
            return new Reference(o.path(), o.pathType(), o.physicalAddress(), o.physicalAddressExpiry(), o.checksum(),
                    o.sizeBytes(), o.mtime(), o.metadata(), o.contentType());
        }
    }

    private static final List<String> STRINGS = List.of("", "a/b.bin", "object", "common_prefix",
            "application/octet-stream", "text/csv; charset=utf-8", "quote\"d", "back\\slash", "tab\tnew\nline",
            "nul\u0000", "del\u007f", "café/naïve", "日本語/データ", "emoji \uD83D\uDE00", "lone \uD800 surrogate",
            "</script>", "local://bucket/data/gabc/0123456789abcdef", "x".repeat(70_000));

    private static List<CurrentWire.ObjectStatsJson> samples() {
        List<CurrentWire.ObjectStatsJson> out = new java.util.ArrayList<>();
        for (String s : STRINGS) {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("k", s);
            metadata.put(s, "v");
            out.add(new CurrentWire.ObjectStatsJson(s, "object", "local://ns/" + s, null, s, 4096L, 1_764_600_000L,
                    metadata, s));
            out.add(new CurrentWire.ObjectStatsJson(s, "common_prefix", "", 1_764_600_900L, "", null, 0, null, null));
            out.add(new CurrentWire.ObjectStatsJson(s, s, s, null, s, 0L, -1, Map.of(), "application/octet-stream"));
        }
        out.add(new CurrentWire.ObjectStatsJson(null, null, null, null, null, null, 0, null, null));
        return out;
    }

    @Test
    void writesTheBytesOfTheBeanSerializer() throws Exception {
        for (CurrentWire.ObjectStatsJson sample : samples()) {
            Reference reference = Reference.of(sample);
            assertThat(new String(Json.mapper().writeValueAsBytes(sample), StandardCharsets.UTF_8))
                    .as("UTF-8 bytes of %s", sample.path())
                    .isEqualTo(new String(Json.mapper().writeValueAsBytes(reference), StandardCharsets.UTF_8));
            assertThat(Json.mapper().writeValueAsString(sample)).as("characters of %s", sample.path())
                    .isEqualTo(Json.mapper().writeValueAsString(reference));
            assertThat(Json.mapper().valueToTree(sample).toString()).as("tree of %s", sample.path())
                    .isEqualTo(Json.mapper().valueToTree(reference).toString());
        }
    }

    @Test
    void writesEntriesOfAPageAndReadsBackTheirValues() throws Exception {
        // a lone surrogate is written as the bean serializer writes it (above), which no parser reads
        // back, and the parser refuses a name (the long metadata key) of more than 50,000 characters
        List<CurrentWire.ObjectStatsJson> entries = samples().stream()
                .filter(e -> e.path() == null || !e.path().contains("\uD800") && e.path().length() < 50_000).toList();
        CurrentWire.PageJson<CurrentWire.ObjectStatsJson> page = new CurrentWire.PageJson<>(
                new CurrentWire.Pagination(false, "", entries.size(), 1000), entries);
        JsonNode read = Json.mapper().readTree(Json.mapper().writeValueAsBytes(page));
        assertThat(read.get("results")).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            CurrentWire.ObjectStatsJson entry = entries.get(i);
            JsonNode node = read.get("results").get(i);
            if (entry.path() == null) {
                assertThat(node.has("path")).isFalse();
            } else {
                assertThat(node.get("path").asText()).isEqualTo(entry.path());
                assertThat(node.get("physical_address").asText()).isEqualTo(entry.physicalAddress());
            }
            if (entry.metadata() != null) {
                for (Map.Entry<String, String> field : entry.metadata().entrySet()) {
                    assertThat(node.get("metadata").get(field.getKey()).asText()).isEqualTo(field.getValue());
                }
            }
        }
    }

    /** Engine entries of every kind of string, as paths, addresses (relative and full), checksums, metadata. */
    private static List<ListItem> listing() {
        List<ListItem> items = new ArrayList<>();
        int i = 0;
        for (String s : STRINGS) {
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("k", s);
            metadata.put(s, "v");
            String n = "/" + i++;
            items.add(new ObjectEntry(s + n, "data/g" + n + s, 4096, s, 1_764_600_000_999L, s, metadata));
            items.add(new ObjectEntry("b" + n, "s3://elsewhere/" + s, 0, "0123abcd", -1_500, null, Map.of()));
            items.add(new ObjectEntry("c" + n, "data/c" + n, 7, s, 0, "application/octet-stream", Map.of("x", "y")));
            items.add(new CommonPrefix(s + n + "/"));
        }
        return items;
    }

    /** What the bean serializer writes for the page {@code listObjects} answers. */
    private static byte[] referencePage(Repository repository, Page<ListItem> page, boolean userMetadata, boolean presign)
            throws Exception {
        List<Reference> results = page.items().stream().map(item -> Reference.of(presign && item instanceof ObjectEntry e
                ? CurrentWire.object(e, presignedUrl(e).url(), presignedUrl(e).expiry(), userMetadata)
                : CurrentWire.listItem(repository, item, userMetadata))).toList();
        String next = page.hasMore() && page.nextOffset() != null ? page.nextOffset() : "";
        return Json.mapper().writeValueAsBytes(new CurrentWire.PageJson<>(
                new CurrentWire.Pagination(page.hasMore(), next, results.size(), CurrentWire.MAX_PER_PAGE), results));
    }

    private static CurrentWire.Presigned presignedUrl(ObjectEntry entry) {
        return new CurrentWire.Presigned("https://bucket.example/" + entry.physicalAddress() + "?X-Amz-Signature=abc&x=\"",
                1_764_600_900L + entry.size());
    }

    @Test
    void writesListingPagesAsTheBeanSerializerWritesTheirRecords() throws Exception {
        List<ListItem> items = listing();
        List<Page<ListItem>> pages = List.of(new Page<>(items, false, null), new Page<>(items, true, "a/b.bin"),
                new Page<>(items.subList(0, 5), true, "caf\u00e9 \"q\""), new Page<>(List.of(), false, null),
                new Page<>(items.subList(3, 4), true, null));
        for (String namespace : List.of("local://bench-r", "s3://bucket/prefix/", "local://naïve \"ns\"", "mem://x\\")) {
            Repository repository = new Repository("r", namespace, "main", 0);
            for (Page<ListItem> page : pages) {
                for (boolean userMetadata : new boolean[] {true, false}) {
                    for (boolean presign : new boolean[] {false, true}) {
                        byte[] expected = referencePage(repository, page, userMetadata, presign);
                        for (int capacity : new int[] {1, 1 << 20}) { // grown from nothing, and written in place
                            JsonBuffer written = CurrentWire.objectPage(repository, page, userMetadata,
                                    presign ? CurrentWireTest::presignedUrl : null, ignored -> new JsonBuffer(capacity));
                            assertThat(new String(Arrays.copyOf(written.array(), written.length()), StandardCharsets.UTF_8))
                                    .as("namespace %s, %d items, more %s, metadata %s, presign %s", namespace,
                                            page.items().size(), page.hasMore(), userMetadata, presign)
                                    .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                            assertThat(Arrays.copyOf(written.array(), written.length())).isEqualTo(expected);
                        }
                    }
                }
            }
        }
    }

    @Test
    void sizesThePageOfPlainEntriesWithoutGrowing() {
        // the page of the bench: 100 entries of plain strings fit the buffer asked for
        List<ListItem> items = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            items.add(new ObjectEntry(String.format("l/o%03d.bin", i), "data/e5dcc72df3e8e2854/" + "0123456789abcdef".repeat(2),
                    4096, "3bb71494f370f91675d08dd0a66ff5e3", 1_796_161_216_000L, null, Map.of()));
        }
        int[] asked = new int[1];
        JsonBuffer written = CurrentWire.objectPage(new Repository("bench-r", "local://bench-r", "main", 0),
                new Page<>(items, false, null), true, null, capacity -> {
                    asked[0] = capacity;
                    return new JsonBuffer(capacity);
                });
        assertThat(written.length()).isLessThanOrEqualTo(asked[0]).isGreaterThan(asked[0] * 3 / 4);
        assertThat(written.array()).hasSize(asked[0]);
    }
}
