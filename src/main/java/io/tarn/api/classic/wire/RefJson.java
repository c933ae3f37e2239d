package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Definition {@code ref}: a tag and the commit it names. */
public record RefJson(@JsonProperty("id") String id, @JsonProperty("commit_id") String commitId) {}
