package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/** Definition {@code commit}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CommitJson(
        @JsonProperty("id") String id,
        @JsonProperty("parents") List<String> parents,
        @JsonProperty("committer") String committer,
        @JsonProperty("message") String message,
        @JsonProperty("creation_date") long creationDate,
        @JsonProperty("metadata") Map<String, String> metadata) {}
