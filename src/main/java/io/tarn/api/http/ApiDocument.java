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
 * What the router needs of an API document, Swagger 2.0 or OpenAPI 3: the base path and, for every
 * operation, its method, path template, operationId and whether it needs credentials.
 *
 * <p>The base path is Swagger's {@code basePath}, or the path of OpenAPI's first {@code servers}
 * entry (a URL's host is ignored; no {@code servers}: {@code /}). An operation needs no credentials
 * only when its effective {@code security} (its own, else the document's) is an explicitly empty
 * list; everything else needs one of the surface's authenticators.
 */
public record ApiDocument(String basePath, List<DocumentedOperation> operations) {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

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
        String basePath = root.has("openapi") ? openApiBasePath(root) : root.path("basePath").asText("/");
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
                boolean open = security != null && security.isArray() && (security.isEmpty() || anyEmpty(security));
                operations.add(new DocumentedOperation(method.toUpperCase(Locale.ROOT), template, operationId, !open));
            }
        }
        return new ApiDocument(basePath, operations);
    }

    /** A requirement {@code {}} among the alternatives: no credentials is one of them. */
    private static boolean anyEmpty(JsonNode security) {
        for (JsonNode requirement : security) {
            if (requirement.isObject() && requirement.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** The path of {@code servers[0].url} (OpenAPI 3), without scheme and host. */
    private static String openApiBasePath(JsonNode root) {
        String version = root.path("openapi").asText("");
        if (!version.startsWith("3.")) {
            throw new IllegalArgumentException("unsupported OpenAPI version: " + version);
        }
        JsonNode servers = root.path("servers");
        if (!servers.isArray() || servers.isEmpty()) {
            return "/";
        }
        String url = servers.get(0).path("url").asText("/");
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            int slash = url.indexOf('/', scheme + 3);
            url = slash < 0 ? "/" : url.substring(slash);
        }
        if (url.contains("{")) {
            throw new IllegalArgumentException("server URL variables are not supported: " + url);
        }
        return url.isEmpty() ? "/" : url;
    }
}
