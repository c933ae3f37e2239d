package io.tarn.api.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What the router needs of a Swagger 2.0 document: the base path and, for every operation, its
 * method, path template, operationId and whether it needs credentials.
 *
 * <p>An operation needs no credentials only when its effective {@code security} (its own, else the
 * document's) is an explicitly empty list; everything else needs basic auth.
 */
public record ApiDocument(String basePath, List<DocumentedOperation> operations) {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");

    /** One operation of the document. */
    public record DocumentedOperation(String method, PathTemplate path, String operationId, boolean authenticated) {}

    public ApiDocument {
        operations = List.copyOf(operations);
    }

    public static ApiDocument parse(InputStream json) throws IOException {
        return parse(Json.mapper().readTree(json));
    }

    public static ApiDocument parse(byte[] json) throws IOException {
        return parse(Json.mapper().readTree(json));
    }

    public static ApiDocument parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("API document is not a JSON object");
        }
        String basePath = root.path("basePath").asText("/");
        if (!basePath.startsWith("/")) {
            throw new IllegalArgumentException("basePath must start with '/': " + basePath);
        }
        if (basePath.endsWith("/")) {
            basePath = basePath.substring(0, basePath.length() - 1);
        }
        JsonNode globalSecurity = root.get("security");
        JsonNode paths = root.path("paths");
        if (!paths.isObject()) {
            throw new IllegalArgumentException("API document has no 'paths' object");
        }
        List<DocumentedOperation> operations = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Map.Entry<String, JsonNode> path : paths.properties()) {
            PathTemplate template = PathTemplate.parse(path.getKey());
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                String method = op.getKey().toLowerCase(Locale.ROOT);
                if (!METHODS.contains(method)) {
                    continue; // "parameters", "$ref", vendor extensions
                }
                String operationId = op.getValue().path("operationId").asText("");
                if (operationId.isEmpty()) {
                    throw new IllegalArgumentException(
                            "operation " + method.toUpperCase(Locale.ROOT) + " " + path.getKey() + " has no operationId");
                }
                if (!ids.add(operationId)) {
                    throw new IllegalArgumentException("operationId used twice in the API document: " + operationId);
                }
                JsonNode security = op.getValue().has("security") ? op.getValue().get("security") : globalSecurity;
                boolean open = security != null && security.isArray() && security.isEmpty();
                operations.add(new DocumentedOperation(method.toUpperCase(Locale.ROOT), template, operationId, !open));
            }
        }
        return new ApiDocument(basePath, operations);
    }
}
