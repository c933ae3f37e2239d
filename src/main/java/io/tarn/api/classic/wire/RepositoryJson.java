package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Definition {@code repository}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RepositoryJson(
        @JsonProperty("id") String id,
        @JsonProperty("creation_date") long creationDate,
        @JsonProperty("default_branch") String defaultBranch,
        @JsonProperty("storage_namespace") String storageNamespace) {}
