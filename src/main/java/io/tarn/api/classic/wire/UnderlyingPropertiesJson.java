package io.tarn.api.classic.wire;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Definition {@code underlying_object_properties}; {@code storage_class} is left out when unknown. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UnderlyingPropertiesJson(@JsonProperty("storage_class") String storageClass) {}
