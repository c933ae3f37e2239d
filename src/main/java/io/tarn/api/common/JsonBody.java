package io.tarn.api.common;

import com.fasterxml.jackson.databind.JsonNode;
import io.tarn.api.http.ApiRequest;
import io.tarn.error.InvalidArgumentException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A JSON object request body, read field by field with exact types, so that a wrong type or a
 * missing field is a 400 naming the field (never a silent coercion).
 */
public final class JsonBody {
    private static final int MAX_METADATA_ENTRIES = 1000;
    private final String name;
    private final JsonNode node;

    private JsonBody(String name, JsonNode node) {
        this.name = name;
        this.node = node;
    }

    /** The body, which must be present and a JSON object. */
    public static JsonBody required(ApiRequest request, String name) {
        if (!request.hasBody()) {
            throw new InvalidArgumentException("request body '" + name + "' is required");
        }
        return of(request, name);
    }

    /** The body if one was sent (it must then be a JSON object), else an empty object. */
    public static JsonBody optional(ApiRequest request, String name) {
        if (!request.hasBody()) {
            return new JsonBody(name, com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode());
        }
        return of(request, name);
    }

    private static JsonBody of(ApiRequest request, String name) {
        JsonNode node = request.jsonBody(JsonNode.class);
        if (node == null || !node.isObject()) {
            throw new InvalidArgumentException("request body '" + name + "' must be a JSON object");
        }
        return new JsonBody(name, node);
    }

    public String requiredString(String field) {
        String value = optionalString(field);
        if (value == null) {
            throw new InvalidArgumentException(name + "." + field + " is required");
        }
        return value;
    }

    /** The field's string value, or null when it is absent or JSON null. */
    public String optionalString(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new InvalidArgumentException(name + "." + field + " must be a string");
        }
        return Inputs.validUnicode(value.textValue(), name + "." + field);
    }

    /** A map of string to string, or an empty map when absent or JSON null. */
    public Map<String, String> stringMap(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return Map.of();
        }
        if (!value.isObject()) {
            throw new InvalidArgumentException(name + "." + field + " must be an object of strings");
        }
        if (value.size() > MAX_METADATA_ENTRIES) {
            throw new InvalidArgumentException(name + "." + field + " has more than " + MAX_METADATA_ENTRIES + " entries");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : value.properties()) {
            if (!entry.getValue().isTextual()) {
                throw new InvalidArgumentException(name + "." + field + "." + entry.getKey() + " must be a string");
            }
            String key = entry.getKey();
            out.put(key, Inputs.validUnicode(entry.getValue().textValue(), name + "." + field + "." + key));
        }
        return out;
    }

    /** True when the field is present and not JSON null. */
    public boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    /** The field's boolean value, or {@code otherwise} when it is absent or JSON null. */
    public boolean optionalBoolean(String field, boolean otherwise) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw new InvalidArgumentException(name + "." + field + " must be a boolean");
        }
        return value.booleanValue();
    }

    /** The field's integer value, or null when it is absent or JSON null. */
    public Integer optionalInt(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new InvalidArgumentException(name + "." + field + " must be an integer");
        }
        return value.intValue();
    }

    /** The field's integer value as a long, or null when it is absent or JSON null. */
    public Long optionalLong(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new InvalidArgumentException(name + "." + field + " must be an integer");
        }
        return value.longValue();
    }

    /** A nested object, or null when it is absent or JSON null. */
    public JsonBody optionalObject(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidArgumentException(name + "." + field + " must be an object");
        }
        return new JsonBody(name + "." + field, value);
    }

    /** A required array of objects (at most {@code max} of them). */
    public java.util.List<JsonBody> requiredObjectList(String field, int max) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidArgumentException(name + "." + field + " is required");
        }
        if (!value.isArray()) {
            throw new InvalidArgumentException(name + "." + field + " must be an array of objects");
        }
        if (value.size() > max) {
            throw new InvalidArgumentException(name + "." + field + " has more than " + max + " entries");
        }
        java.util.List<JsonBody> out = new java.util.ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw new InvalidArgumentException(name + "." + field + " must be an array of objects");
            }
            out.add(new JsonBody(name + "." + field + "[" + out.size() + "]", item));
        }
        return out;
    }

    /** A required array of strings. */
    public java.util.List<String> requiredStringList(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidArgumentException(name + "." + field + " is required");
        }
        if (!value.isArray()) {
            throw new InvalidArgumentException(name + "." + field + " must be an array of strings");
        }
        java.util.List<String> out = new java.util.ArrayList<>(value.size());
        for (JsonNode item : value) {
            if (!item.isTextual()) {
                throw new InvalidArgumentException(name + "." + field + " must be an array of strings");
            }
            out.add(Inputs.validUnicode(item.textValue(), name + "." + field));
        }
        return out;
    }

    /** A required integer field. */
    public int requiredInt(String field) {
        Integer value = optionalInt(field);
        if (value == null) {
            throw new InvalidArgumentException(name + "." + field + " is required");
        }
        return value;
    }

    /** A required array of JSON objects, each read as a body of its own ({@code name.field[i]}). */
    public java.util.List<JsonBody> requiredObjectList(String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new InvalidArgumentException(name + "." + field + " is required");
        }
        if (!value.isArray()) {
            throw new InvalidArgumentException(name + "." + field + " must be an array of objects");
        }
        java.util.List<JsonBody> out = new java.util.ArrayList<>(value.size());
        int i = 0;
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw new InvalidArgumentException(name + "." + field + " must be an array of objects");
            }
            out.add(new JsonBody(name + "." + field + "[" + i++ + "]", item));
        }
        return out;
    }
}
