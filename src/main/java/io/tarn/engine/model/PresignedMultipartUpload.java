package io.tarn.engine.model;

import java.util.List;

/**
 * A multipart upload whose parts the client PUTs straight to the block store.
 *
 * @param uploadId        the id to complete or abort it with
 * @param physicalAddress the full URI of the object the parts become (in the repository's namespace)
 * @param presignedUrls   one URL per part asked for, part 1 first
 * @param expiry          when those URLs expire, epoch seconds
 */
public record PresignedMultipartUpload(String uploadId, String physicalAddress, List<String> presignedUrls,
                                       long expiry) {
    public PresignedMultipartUpload {
        presignedUrls = List.copyOf(presignedUrls);
    }
}
