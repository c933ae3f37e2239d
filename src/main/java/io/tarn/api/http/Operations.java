package io.tarn.api.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The handlers of one API document, keyed by operationId. The router matches every operation of
 * the document to exactly one handler here, and refuses to start otherwise.
 */
public final class Operations {
    private final Map<String, Operation> byId = new LinkedHashMap<>();

    public Operations add(String operationId, Operation operation) {
        if (byId.putIfAbsent(operationId, operation) != null) {
            throw new IllegalStateException("operation registered twice: " + operationId);
        }
        return this;
    }

    public Operations addAll(Operations other) {
        other.byId.forEach(this::add);
        return this;
    }

    public Map<String, Operation> asMap() {
        return Collections.unmodifiableMap(byId);
    }
}
