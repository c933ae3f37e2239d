package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Definition {@code pagination}. {@code next_offset} is left out on the last page (bravado rejects a
 * null string and shows a missing one as {@code None}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaginationJson(
        @JsonProperty("has_more") boolean hasMore,
        @JsonProperty("next_offset") String nextOffset,
        @JsonProperty("results") int results,
        @JsonProperty("max_per_page") int maxPerPage) {}
