package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Definition {@code object_stats}: an object ({@code path_type} "object", with checksum, mtime and
 * size), or a common prefix of a listing ({@code path_type} "common_prefix", path only).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ObjectStatsJson(
        @JsonProperty("path") String path,
        @JsonProperty("path_type") String pathType,
        @JsonProperty("checksum") String checksum,
        @JsonProperty("mtime") Long mtime,
        @JsonProperty("size_bytes") Long sizeBytes) {}
