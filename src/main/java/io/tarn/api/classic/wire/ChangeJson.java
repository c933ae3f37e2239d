package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Definitions {@code diff} and {@code merge_result} (the same three fields). */
public record ChangeJson(
        @JsonProperty("type") String type,
        @JsonProperty("path") String path,
        @JsonProperty("path_type") String pathType) {}
