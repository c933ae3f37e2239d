package io.tarn.block;

import java.util.ArrayList;
import java.util.List;

/** Rules for multipart uploads that every backend applies the same way. */
public final class Multipart {
    /** Highest part number S3 accepts. */
    public static final int MAX_PART_NUMBER = 10_000;

    private Multipart() {}

    public static int requireValidPartNumber(int partNumber) {
        if (partNumber < 1 || partNumber > MAX_PART_NUMBER) {
            throw new InvalidPartException("part number " + partNumber + " is outside 1.."
                    + MAX_PART_NUMBER);
        }
        return partNumber;
    }

    /**
     * Checks the part list a client asks to complete with: non-empty, strictly ascending part
     * numbers, each matching an uploaded part (same ETag, quotes ignored). Returns the uploaded parts
     * in the requested order.
     */
    public static List<PartResult> resolve(List<PartResult> requested, List<PartResult> uploaded) {
        if (requested == null || requested.isEmpty()) {
            throw new InvalidPartException("a multipart upload needs at least one part to complete");
        }
        List<PartResult> out = new ArrayList<>(requested.size());
        int previous = 0;
        for (PartResult want : requested) {
            requireValidPartNumber(want.partNumber());
            if (want.partNumber() <= previous) {
                throw new InvalidPartException("parts must be listed in ascending order of part"
                        + " number; " + want.partNumber() + " follows " + previous);
            }
            previous = want.partNumber();
            PartResult have = uploaded.stream()
                    .filter(p -> p.partNumber() == want.partNumber())
                    .findFirst()
                    .orElseThrow(() -> new InvalidPartException(
                            "part " + want.partNumber() + " was not uploaded"));
            if (want.etag() != null && !Md5.stripQuotes(want.etag()).equals(Md5.stripQuotes(have.etag()))) {
                throw new InvalidPartException("part " + want.partNumber() + " has ETag "
                        + have.etag() + ", not " + want.etag());
            }
            out.add(have);
        }
        return out;
    }

    /** The S3 multipart ETag of the given parts. */
    public static String etag(List<PartResult> parts) {
        return Md5.multipartEtag(parts.stream().map(PartResult::etag).toList());
    }
}
