package io.tarn.api.current;

import io.tarn.api.http.ApiException;
import io.tarn.api.http.Operations;
import java.util.Map;

/**
 * Operations of lakeFS's current API that are in the document but not implemented yet: each answers
 * 501 with a JSON message saying what is missing, so a client gets a clear answer instead of a 404.
 */
final class NotImplementedOperations {
    /** operationId → what it would do (for the message). */
    static final Map<String, String> OPERATIONS = Map.ofEntries();

    private NotImplementedOperations() {}

    static Operations operations() {
        Operations operations = new Operations();
        OPERATIONS.forEach((id, what) -> operations.add(id, (request, response) -> {
            throw new ApiException(501, what + " is not implemented by this server (operation " + id + ")");
        }));
        return operations;
    }
}
