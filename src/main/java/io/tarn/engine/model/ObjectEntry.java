package io.tarn.engine.model;

import java.util.Map;

/**
 * One object of a tree (committed or staged).
 *
 * @param physicalAddress key of the data relative to the repository's storage namespace
 * @param checksum        MD5 hex of the content (what clients see as the ETag)
 * @param mtime           last modification, epoch milliseconds
 * @param contentType     may be {@code null}
 * @param metadata        user metadata, never {@code null}
 * @param contentChecksum the checksum an S3 client sent with the content, or {@code null}; like the
 *                        physical address and the mtime it is not part of the entry's identity
 */
public record ObjectEntry(String path, String physicalAddress, long size, String checksum, long mtime,
                          String contentType, Map<String, String> metadata, ContentChecksum contentChecksum)
        implements ListItem {

    public ObjectEntry {
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    /** An entry without a client's checksum. */
    public ObjectEntry(String path, String physicalAddress, long size, String checksum, long mtime,
                       String contentType, Map<String, String> metadata) {
        this(path, physicalAddress, size, checksum, mtime, contentType, metadata, null);
    }

    /** This entry with {@code contentChecksum} instead of its own. */
    public ObjectEntry withContentChecksum(ContentChecksum contentChecksum) {
        return new ObjectEntry(path, physicalAddress, size, checksum, mtime, contentType, metadata, contentChecksum);
    }

    /**
     * Two entries with the same identity are the same entry: writing identical content again is no
     * change. The physical address and the mtime are not part of it.
     */
    public boolean sameIdentity(ObjectEntry other) {
        return other != null
                && size == other.size
                && checksum.equals(other.checksum)
                && java.util.Objects.equals(contentType, other.contentType)
                && metadata.equals(other.metadata);
    }
}
