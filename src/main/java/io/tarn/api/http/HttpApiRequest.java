package io.tarn.api.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.tarn.auth.Principal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

/** {@link ApiRequest} over a Jetty core request. */
final class HttpApiRequest implements ApiRequest {

    /** JSON bodies are small documents; anything larger is refused rather than held in memory. */
    static final int MAX_JSON_BODY = 1024 * 1024;

    private final Request request;
    private final String operationId;
    private final Map<String, String> pathParams;
    private final Principal principal;
    private final RequestBody body;
    private Fields query;
    private boolean multipartUsed;
    /** The JSON body once read (the access check may read it before the handler does). */
    private byte[] smallBody;

    HttpApiRequest(Request request, String operationId, Map<String, String> pathParams, Principal principal,
                   RequestBody body) {
        this.request = request;
        this.operationId = operationId;
        this.pathParams = pathParams;
        this.principal = principal;
        this.body = body;
    }

    @Override
    public String method() {
        return request.getMethod();
    }

    @Override
    public String operationId() {
        return operationId;
    }

    @Override
    public String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalArgumentException("operation " + operationId + " has no path parameter " + name);
        }
        return value;
    }

    private Fields query() {
        if (query == null) {
            try {
                query = Request.extractQueryParameters(request);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("invalid query string: bad percent-encoding");
            }
        }
        return query;
    }

    @Override
    public Optional<String> query(String name) {
        List<String> values = query().getValuesOrEmpty(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
    }

    @Override
    public List<String> queryAll(String name) {
        return List.copyOf(query().getValuesOrEmpty(name));
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public List<String> headerNames() {
        return List.copyOf(request.getHeaders().getFieldNamesCollection());
    }

    @Override
    public Optional<Principal> principal() {
        return Optional.ofNullable(principal);
    }

    @Override
    public boolean hasBody() {
        if (smallBody != null) {
            return smallBody.length > 0;
        }
        long length = request.getLength();
        if (length >= 0) {
            return length > 0;
        }
        if (!request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return false;
        }
        try {
            return !body.isEmpty(); // chunked: "0\r\n\r\n" is no body
        } catch (IOException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    @Override
    public <T> T jsonBody(Class<T> type) {
        if (smallBody == null && !hasBody()) {
            throw ApiException.badRequest("request body is required");
        }
        byte[] bytes = readSmallBody();
        if (bytes.length == 0) {
            throw ApiException.badRequest("request body is required");
        }
        try {
            T value = Json.mapper().readValue(bytes, type);
            if (value == null) {
                throw ApiException.badRequest("request body is required");
            }
            return value;
        } catch (JsonParseException e) {
            throw ApiException.badRequest("request body is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ")");
        } catch (MismatchedInputException e) {
            throw ApiException.badRequest(describe(e, type));
        } catch (JsonMappingException e) {
            throw ApiException.badRequest("request body does not have the expected shape" + field(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("request body is not valid JSON");
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read");
        }
    }

    private static String describe(MismatchedInputException e, Class<?> type) {
        String field = field(e);
        if (field.isEmpty()) {
            return "request body must be a JSON " + (type == String.class ? "string" : "object");
        }
        String original = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
        if (original.startsWith("Missing required")) {
            return "request body is missing a required field" + field;
        }
        return "request body has a value of the wrong type" + field;
    }

    private static String field(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "" : ": '" + path + "'";
    }

    private byte[] readSmallBody() {
        if (smallBody == null) {
            smallBody = readSmallBodyOnce();
        }
        return smallBody;
    }

    private byte[] readSmallBodyOnce() {
        long declared = request.getLength();
        if (declared > MAX_JSON_BODY) {
            throw ApiException.badRequest("request body too large (at most " + MAX_JSON_BODY + " bytes of JSON)");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(declared > 0 ? (int) declared : 256);
        byte[] chunk = new byte[8192];
        try {
            int n;
            while ((n = body.read(chunk)) >= 0) {
                out.write(chunk, 0, n);
                if (out.size() > MAX_JSON_BODY) {
                    throw ApiException.badRequest("request body too large (at most " + MAX_JSON_BODY + " bytes of JSON)");
                }
            }
        } catch (MalformedBodyException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read");
        }
        return out.toByteArray();
    }

    @Override
    public InputStream multipartFile(String name) {
        return multipartPart(name).content();
    }

    @Override
    public FilePart multipartPart(String name) {
        String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
        String boundary = MultipartReader.boundaryOf(contentType).orElseThrow(() -> ApiException.badRequest(
                "request must be multipart/form-data with a boundary"));
        if (multipartUsed) {
            throw new IllegalStateException("multipartFile can be called once per request");
        }
        multipartUsed = true;
        try {
            MultipartReader reader = new MultipartReader(body, boundary, request.getLength());
            while (true) {
                Optional<MultipartReader.Part> part = reader.next();
                if (part.isEmpty()) {
                    throw ApiException.badRequest("multipart body has no part named '" + name + "'");
                }
                if (part.get().name().equals(name)) {
                    String type = part.get().headers().get("content-type");
                    return new FilePart(part.get().content(),
                            type == null || type.isBlank() ? Optional.empty() : Optional.of(type.trim()));
                }
            }
        } catch (MalformedBodyException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("request body could not be read");
        }
    }

    @Override
    public InputStream body() {
        return body;
    }
}
