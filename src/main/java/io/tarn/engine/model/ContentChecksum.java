package io.tarn.engine.model;

import java.util.Locale;

/**
 * A checksum of an object's content as an S3 client gave it ({@code x-amz-checksum-*}), kept with the
 * entry and answered back. {@code value} is the base64 of the big-endian checksum; a {@link Type#COMPOSITE}
 * value (a multipart upload's checksum of its parts' checksums) ends in {@code -<number of parts>}.
 */
public record ContentChecksum(Algorithm algorithm, String value, Type type) {

    /** The algorithms S3 knows. */
    public enum Algorithm {
        CRC32, CRC32C, CRC64NVME, SHA1, SHA256;

        /** The algorithm of an S3 name ({@code crc32}, {@code CRC64NVME}, ...), or null. */
        public static Algorithm of(String name) {
            if (name == null) {
                return null;
            }
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return null;
            }
        }

        /** The header that carries it: {@code x-amz-checksum-crc32}, ... */
        public String header() {
            return "x-amz-checksum-" + name().toLowerCase(Locale.ROOT);
        }

        /** The element of S3's XML documents that carries it: {@code ChecksumCRC32}, ... */
        public String element() {
            return "Checksum" + name();
        }
    }

    /** Whether the checksum covers the object's bytes, or its parts' checksums. */
    public enum Type { FULL_OBJECT, COMPOSITE }

    public ContentChecksum {
        if (algorithm == null || value == null || value.isEmpty() || type == null) {
            throw new IllegalArgumentException("a content checksum needs an algorithm, a value and a type");
        }
    }
}
