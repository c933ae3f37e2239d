package io.tarn.api.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The small API document of the HTTP tests, and handlers for all of its operations. */
final class TestDocument {
    static final List<String> OPERATION_IDS = List.of("setupLakeFS", "healthCheck", "listRepositories",
            "createRepository", "getRepository", "deleteRepository", "listBranches", "getBranch", "uploadObject",
            "getObject", "diffRefs", "diffMain");

    private TestDocument() {}

    static byte[] bytes() {
        try (InputStream in = TestDocument.class.getResourceAsStream("/http-test/swagger.json")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ApiDocument document() {
        try {
            return ApiDocument.parse(bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every operation answers 200 with its id and path parameters. */
    static Operations echoOperations() {
        Operations ops = new Operations();
        for (String id : OPERATION_IDS) {
            ops.add(id, (request, response) -> response.json(200, java.util.Map.of("operation", request.operationId())));
        }
        return ops;
    }
}
