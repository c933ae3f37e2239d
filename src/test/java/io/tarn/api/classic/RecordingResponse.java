package io.tarn.api.classic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tarn.api.http.ApiResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Records what a handler answered; JSON bodies are serialized with a plain ObjectMapper. */
final class RecordingResponse implements ApiResponse {
    private static final ObjectMapper JSON = new ObjectMapper();
    final Map<String, String> headers = new LinkedHashMap<>();
    int status = -1;
    String contentType;
    long contentLength;
    JsonNode json;
    byte[] bytes;

    @Override
    public ApiResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    @Override
    public void json(int status, Object body) {
        this.status = status;
        this.contentType = "application/json";
        this.json = JSON.valueToTree(body);
    }

    @Override
    public void json(int status, io.tarn.api.http.JsonBuffer body) {
        this.status = status;
        this.contentType = "application/json";
        try {
            this.json = JSON.readTree(body.array(), 0, body.length()); // the bytes written must be JSON
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void empty(int status) {
        this.status = status;
    }

    @Override
    public void stream(int status, String contentType, long contentLength, InputStream content) {
        this.status = status;
        this.contentType = contentType;
        this.contentLength = contentLength;
        try (content) {
            this.bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
