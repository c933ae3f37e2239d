package io.tarn.api.s3;

import io.tarn.api.http.ApiResponse;
import io.tarn.api.s3.sig.AwsChunkedPayload;
import io.tarn.api.s3.sig.CheckedPayload;
import io.tarn.api.s3.sig.Checksums;
import io.tarn.block.PartResult;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.ContentChecksum.Algorithm;
import io.tarn.engine.model.ContentChecksum.Type;
import io.tarn.engine.model.MultipartUpload;
import java.io.ByteArrayOutputStream;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The checksums S3 clients send ({@code x-amz-checksum-*}), kept with objects and answered back as S3
 * does: a PutObject's is over the whole object ({@code FULL_OBJECT}); a multipart upload created with
 * {@code x-amz-checksum-algorithm} has, with every part, that algorithm's checksum, and the object gets
 * either the checksum of its parts' checksums ({@code COMPOSITE}, {@code <base64>-<parts>}: the default
 * for CRC32, CRC32C, SHA1 and SHA256) or, for the CRCs, the checksum of its bytes combined from its
 * parts' ({@code FULL_OBJECT}: the only type of CRC64NVME, asked for the others with
 * {@code x-amz-checksum-type}). GetObject and HeadObject answer it with {@code x-amz-checksum-mode: ENABLED}.
 */
final class S3Checksums {
    private static final String ALGORITHMS = "[CRC32, CRC32C, CRC64NVME, SHA1, SHA256]";

    private S3Checksums() {}

    /** The checksum a client sent with a body read whole and found to match, or null. */
    static ContentChecksum of(CheckedPayload payload) {
        Checksums.Value v = payload.checksum();
        return v == null ? null : new ContentChecksum(Algorithm.of(v.algorithm()), v.base64(), Type.FULL_OBJECT);
    }

    /**
     * The algorithm of the checksum a request announces in its headers: an {@code x-amz-checksum-<name>}
     * header, or the {@code x-amz-trailer} of an aws-chunked body; null when it announces none.
     */
    static Algorithm announced(S3Request r) {
        String trailer = r.header("x-amz-trailer");
        if (trailer != null) {
            for (String name : AwsChunkedPayload.trailerNames(trailer)) {
                Algorithm a = fromHeaderName(name.trim().toLowerCase(Locale.ROOT));
                if (a != null) {
                    return a;
                }
            }
        }
        for (Algorithm a : Algorithm.values()) {
            if (r.header(a.header()) != null) {
                return a;
            }
        }
        return null;
    }

    private static Algorithm fromHeaderName(String name) {
        return name.startsWith("x-amz-checksum-") ? Algorithm.of(name.substring("x-amz-checksum-".length())) : null;
    }

    /** Answers a checksum in the headers S3 uses: {@code x-amz-checksum-<name>} and {@code x-amz-checksum-type}. */
    static void answer(ApiResponse response, ContentChecksum checksum) {
        if (checksum != null) {
            response.header(checksum.algorithm().header(), checksum.value())
                    .header("x-amz-checksum-type", checksum.type().name());
        }
    }

    /** Whether a GetObject / HeadObject asked for the object's checksum. */
    static boolean asked(S3Request r) {
        String mode = r.header("x-amz-checksum-mode");
        return mode != null && mode.trim().equalsIgnoreCase("ENABLED");
    }

    /** What a CreateMultipartUpload asks for: an algorithm and a type, or none. */
    record Requested(Algorithm algorithm, Type type) {
        static final Requested NONE = new Requested(null, null);
    }

    /**
     * The {@code x-amz-checksum-algorithm} and {@code x-amz-checksum-type} of a CreateMultipartUpload,
     * checked as S3 checks them (400 InvalidRequest).
     */
    static Requested requested(S3Request r) {
        String algorithmHeader = r.header("x-amz-checksum-algorithm");
        String typeHeader = r.header("x-amz-checksum-type");
        if (algorithmHeader == null) {
            if (typeHeader != null) {
                throw new S3Error(400, "InvalidRequest", "The x-amz-checksum-type header can only be used with the"
                        + " x-amz-checksum-algorithm header.");
            }
            return Requested.NONE;
        }
        Algorithm algorithm = Algorithm.of(algorithmHeader);
        if (algorithm == null) {
            throw new S3Error(400, "InvalidRequest", "Checksum algorithm provided is unsupported. Please try again"
                    + " with any of the valid types: " + ALGORITHMS);
        }
        Type type;
        if (typeHeader == null) {
            type = algorithm == Algorithm.CRC64NVME ? Type.FULL_OBJECT : Type.COMPOSITE;
        } else {
            try {
                type = Type.valueOf(typeHeader.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new S3Error(400, "InvalidRequest", "Value for x-amz-checksum-type header is invalid: "
                        + typeHeader + " (COMPOSITE or FULL_OBJECT)");
            }
        }
        boolean crc = algorithm == Algorithm.CRC32 || algorithm == Algorithm.CRC32C || algorithm == Algorithm.CRC64NVME;
        if ((type == Type.FULL_OBJECT && !crc) || (type == Type.COMPOSITE && algorithm == Algorithm.CRC64NVME)) {
            throw new S3Error(400, "InvalidRequest", "The " + type + " checksum type cannot be used with the "
                    + algorithm + " checksum algorithm.");
        }
        return new Requested(algorithm, type);
    }

    /**
     * A part's announced checksum against its upload's algorithm: an upload created with one takes only
     * parts that carry it (400 InvalidRequest, before the part is read).
     */
    static void checkPart(MultipartUpload upload, Algorithm announced, int partNumber) {
        Algorithm expected = upload.checksumAlgorithm();
        if (expected != null && announced != expected) {
            throw new S3Error(400, "InvalidRequest", "Checksum Type mismatch occurred, expected checksum Type: "
                    + expected.name().toLowerCase(Locale.ROOT) + ", actual checksum Type: "
                    + (announced == null ? "null" : announced.name().toLowerCase(Locale.ROOT))
                    + " (part " + partNumber + ")");
        }
    }

    /**
     * The checksum of a completed upload's object, from its parts' checksums as uploaded ({@code stored})
     * and the parts assembled (in order, with their sizes); the checksums a CompleteMultipartUpload names
     * per part ({@code sent}, by part number) must be those ({@code 400 InvalidPart}), and an
     * {@code x-amz-checksum-<name>} header of the whole object ({@code sentWhole}, FULL_OBJECT only) must be
     * what the parts make ({@code 400 BadDigest}). Null when the upload has no algorithm.
     */
    static ContentChecksum ofUpload(MultipartUpload upload, Map<Integer, ContentChecksum> stored,
                                    List<PartResult> parts, Map<Integer, String> sent, String sentWhole) {
        Algorithm algorithm = upload.checksumAlgorithm();
        if (algorithm == null) {
            return null;
        }
        byte[][] values = new byte[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            int number = parts.get(i).partNumber();
            ContentChecksum part = stored.get(number);
            if (part == null || part.algorithm() != algorithm) {
                throw new S3Error(400, "InvalidPart", "Part " + number + " was uploaded without a " + algorithm
                        + " checksum, which this upload requires.");
            }
            String claimed = sent.get(number);
            if (claimed != null && !claimed.trim().equals(part.value())) {
                throw new S3Error(400, "InvalidPart", "The " + algorithm.element() + " of part " + number
                        + " does not match the checksum it was uploaded with.");
            }
            values[i] = Base64.getDecoder().decode(part.value());
        }
        if (upload.checksumType() == Type.COMPOSITE) {
            if (sentWhole != null) {
                throw new S3Error(400, "InvalidRequest", "The " + algorithm.header() + " header of a whole object"
                        + " is only taken for the FULL_OBJECT checksum type.");
            }
            Checksums.Running running = Checksums.of(algorithm);
            ByteArrayOutputStream all = new ByteArrayOutputStream(values.length * 32);
            for (byte[] v : values) {
                all.writeBytes(v);
            }
            byte[] concatenated = all.toByteArray();
            running.update(concatenated, 0, concatenated.length);
            String value = Base64.getEncoder().encodeToString(running.value()) + "-" + parts.size();
            return new ContentChecksum(algorithm, value, Type.COMPOSITE);
        }
        byte[] whole = values[0];
        for (int i = 1; i < values.length; i++) {
            whole = Checksums.combineCrc(algorithm, whole, values[i], parts.get(i).size());
        }
        String value = Base64.getEncoder().encodeToString(whole);
        if (sentWhole != null && !sentWhole.trim().equals(value)) {
            throw new S3Error(400, "BadDigest", "The " + algorithm + " you specified for the whole object did not"
                    + " match the one calculated from its parts.");
        }
        return new ContentChecksum(algorithm, value, Type.FULL_OBJECT);
    }
}
