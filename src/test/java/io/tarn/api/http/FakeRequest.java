package io.tarn.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.auth.Principal;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A routed request built by a test, for the surfaces' handler and access-table tests. */
public final class FakeRequest implements ApiRequest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final String operationId;
    private final Map<String, String> pathParams = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private final Map<String, String> headers = new HashMap<>();
    private final Map<String, InputStream> files = new HashMap<>();
    private String body;
    private String user = "tester";

    public FakeRequest(String operationId) {
        this.operationId = operationId;
    }

    public FakeRequest path(String name, String value) {
        pathParams.put(name, value);
        return this;
    }

    public FakeRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public FakeRequest header(String name, String value) {
        headers.put(name.toLowerCase(), value);
        return this;
    }

    public FakeRequest body(String json) {
        body = json;
        return this;
    }

    public FakeRequest file(String name, InputStream content) {
        files.put(name, content);
        return this;
    }

    /** A request of {@code operationId} with these path and query parameters and JSON body (or null). */
    public static FakeRequest of(String operationId, Map<String, String> path, Map<String, String> query,
                                 String json) {
        FakeRequest request = new FakeRequest(operationId);
        request.pathParams.putAll(path);
        request.query.putAll(query);
        request.body = json;
        return request;
    }

    /** The same request made by {@code name}. */
    public FakeRequest as(String name) {
        user = name;
        return this;
    }

    @Override
    public String method() {
        return "GET";
    }

    @Override
    public String operationId() {
        return operationId;
    }

    @Override
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public List<String> queryAll(String name) {
        return query(name).stream().toList();
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase()));
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(user).map(Principal::new);
    }

    @Override
    public boolean hasBody() {
        return body != null && !body.isEmpty();
    }

    @Override
    public <T> T jsonBody(Class<T> type) {
        try {
            return JSON.readValue(body == null ? "null" : body, type);
        } catch (IOException e) {
            throw ApiException.badRequest("malformed JSON");
        }
    }

    @Override
    public InputStream multipartFile(String name) {
        InputStream file = files.get(name);
        if (file == null) {
            throw ApiException.badRequest("no part " + name);
        }
        return file;
    }

    @Override
    public InputStream body() {
        return new ByteArrayInputStream(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8));
    }
}
