package io.tarn.api.s3.sig;

import io.tarn.engine.model.ContentChecksum;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
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

    /** A computed checksum: its algorithm (as S3 names it) and its big-endian bytes. */
    public record Value(String algorithm, byte[] bytes) {
        /** The base64 form that headers, trailers and XML documents carry. */
        public String base64() {
            return Base64.getEncoder().encodeToString(bytes);
        }
    }

    /** The running checksum of an algorithm. */
    public static Running of(ContentChecksum.Algorithm algorithm) {
        return forHeader(algorithm.header());
    }

    /**
     * The CRC of {@code a} followed by {@code b} from the CRCs of each and {@code b}'s length, for the
     * CRCs of S3 (CRC32, CRC32C, CRC64NVME: reflected, all-ones initial value and final xor). It is
     * zlib's {@code crc32_combine} way: {@code crc(a)} is multiplied by {@code x^(8 * lengthB)} modulo the
     * polynomial and added to {@code crc(b)}, in time logarithmic in the length.
     */
    public static byte[] combineCrc(ContentChecksum.Algorithm algorithm, byte[] crcA, byte[] crcB, long lengthB) {
        Crc crc = Crc.of(algorithm);
        long combined = crc.multiply(crc.xPowEightN(lengthB), crc.toLong(crcA)) ^ crc.toLong(crcB);
        return crc.toBytes(combined);
    }

    /** The reflected polynomial arithmetic of one CRC (its width in bits and its reflected polynomial). */
    private record Crc(int width, long polynomial) {
        static Crc of(ContentChecksum.Algorithm algorithm) {
            return switch (algorithm) {
                case CRC32 -> new Crc(32, 0xEDB88320L);
                case CRC32C -> new Crc(32, 0x82F63B78L);
                case CRC64NVME -> new Crc(64, 0x9A6C9329AC4BC9B5L);
                default -> throw new IllegalArgumentException(algorithm + " is not a CRC");
            };
        }

        /** {@code a * b} modulo the polynomial, in the reflected bit order (x^0 is the top bit). */
        long multiply(long a, long b) {
            long top = 1L << (width - 1);
            long product = 0;
            for (long m = top; m != 0; m >>>= 1) {
                if ((a & m) != 0) {
                    product ^= b;
                }
                b = (b & 1) != 0 ? (b >>> 1) ^ polynomial : b >>> 1;
            }
            return product;
        }

        /** {@code x^(8n)} modulo the polynomial, by squaring. */
        long xPowEightN(long n) {
            long result = 1L << (width - 1); // x^0
            long power = 1L << (width - 2); // x^1
            for (int i = 0; i < 3; i++) {
                power = multiply(power, power); // x^8 after three squarings
            }
            while (n != 0) {
                if ((n & 1) != 0) {
                    result = multiply(power, result);
                }
                power = multiply(power, power);
                n >>>= 1;
            }
            return result;
        }

        long toLong(byte[] bytes) {
            if (bytes.length != width / 8) {
                throw new IllegalArgumentException("a CRC" + width + " has " + width / 8 + " bytes");
            }
            long v = 0;
            for (byte b : bytes) {
                v = (v << 8) | (b & 0xff);
            }
            return v;
        }

        byte[] toBytes(long v) {
            byte[] out = new byte[width / 8];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) (v >>> (8 * (out.length - 1 - i)));
            }
            return out;
        }
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
