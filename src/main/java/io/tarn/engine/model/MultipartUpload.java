package io.tarn.engine.model;

import java.util.Map;

/**
 * A multipart upload in progress: its id, the object it will become ({@code path} on {@code branch}),
 * where its data is assembled ({@code physicalAddress}, relative to the repository's namespace), the
 * block store's own upload id, and the content type and user metadata the object will have.
 *
 * @param created           epoch milliseconds
 * @param checksumAlgorithm the checksum every part carries and the object will have, or null
 * @param checksumType      whether the object's checksum is over its bytes or over its parts' checksums
 *                          (null exactly when there is no algorithm)
 */
public record MultipartUpload(String id, String repository, String branch, String path, String physicalAddress,
                              String blockUploadId, long created, String contentType, Map<String, String> metadata,
                              ContentChecksum.Algorithm checksumAlgorithm, ContentChecksum.Type checksumType) {
    public MultipartUpload {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
        if ((checksumAlgorithm == null) != (checksumType == null)) {
            throw new IllegalArgumentException("a checksum algorithm goes with a checksum type");
        }
    }
}
