package io.tarn.api.current;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.api.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link CurrentWire.ObjectStatsWriter} writes the very bytes Jackson's bean serializer writes for the
 * same record (names, order, escapes, nulls left out), whichever generator it is given.
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
}
