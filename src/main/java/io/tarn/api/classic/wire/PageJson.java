package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** The {@code {pagination, results}} shape of every classic listing. */
public record PageJson<T>(
        @JsonProperty("pagination") PaginationJson pagination,
        @JsonProperty("results") List<T> results) {}
