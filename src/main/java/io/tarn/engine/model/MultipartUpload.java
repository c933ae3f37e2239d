package io.tarn.engine.model;

import java.util.Map;

/**
 * A multipart upload in progress: its id, the object it will become ({@code path} on {@code branch}),
 * where its data is assembled ({@code physicalAddress}, relative to the repository's namespace), the
 * block store's own upload id, and the content type and user metadata the object will have.
 *
 * @param created epoch milliseconds
 */
public record MultipartUpload(String id, String repository, String branch, String path, String physicalAddress,
                              String blockUploadId, long created, String contentType, Map<String, String> metadata) {
    public MultipartUpload {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }
}
