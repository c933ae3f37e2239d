package io.tarn.api.s3.sig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;
import java.util.zip.Checksum;

/**
 * The checksums S3 clients send in {@code x-amz-checksum-*} headers and trailers: CRC32 and CRC32C
 * ({@code java.util.zip}), CRC64NVME (below), SHA-1 and SHA-256; each value is the base64 of the
 * big-endian checksum.
 */
public final class Checksums {
    private Checksums() {}

    /** A checksum being computed over a stream. */
    public interface Running {
        void update(byte[] b, int off, int len);

        /** The checksum's bytes, big-endian. */
        byte[] value();

        /** Its name as S3 spells it: {@code CRC32}, {@code SHA256}, ... */
        String algorithm();
    }

    /** The running checksum for a header or trailer name ({@code x-amz-checksum-crc32}, ...), or null if unknown. */
    public static Running forHeader(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (!name.startsWith("x-amz-checksum-")) {
            return null;
        }
        return switch (name.substring("x-amz-checksum-".length())) {
            case "crc32" -> zip("CRC32", new CRC32());
            case "crc32c" -> zip("CRC32C", new CRC32C());
            case "crc64nvme" -> new Crc64Nvme();
            case "sha1" -> digest("SHA1", "SHA-1");
            case "sha256" -> digest("SHA256", "SHA-256");
            default -> null;
        };
    }

    private static Running zip(String algorithm, Checksum checksum) {
        return new Running() {
            @Override
            public void update(byte[] b, int off, int len) {
                checksum.update(b, off, len);
            }

            @Override
            public byte[] value() {
                long v = checksum.getValue();
                return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
            }

            @Override
            public String algorithm() {
                return algorithm;
            }
        };
    }

    /** A running {@link MessageDigest} of JCA name {@code jca}, named {@code algorithm}. */
    static Running digest(String algorithm, String jca) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " is required", e);
        }
        return new Running() {
            @Override
            public void update(byte[] b, int off, int len) {
                md.update(b, off, len);
            }

            @Override
            public byte[] value() {
                return md.digest();
            }

            @Override
            public String algorithm() {
                return algorithm;
            }
        };
    }

    /** CRC-64/NVME: reflected polynomial 0x9A6C9329AC4BC9B5, initial value and final xor all ones. */
    static final class Crc64Nvme implements Running {
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long c = i;
                for (int k = 0; k < 8; k++) {
                    c = (c & 1) != 0 ? (c >>> 1) ^ 0x9A6C9329AC4BC9B5L : c >>> 1;
                }
                TABLE[i] = c;
            }
        }

        private long crc = -1L;

        @Override
        public void update(byte[] b, int off, int len) {
            long c = crc;
            for (int i = off; i < off + len; i++) {
                c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
            }
            crc = c;
        }

        long raw() {
            return ~crc;
        }

        @Override
        public byte[] value() {
            long v = ~crc;
            byte[] out = new byte[8];
            for (int i = 0; i < 8; i++) {
                out[i] = (byte) (v >>> (56 - 8 * i));
            }
            return out;
        }

        @Override
        public String algorithm() {
            return "CRC64NVME";
        }
    }
}
