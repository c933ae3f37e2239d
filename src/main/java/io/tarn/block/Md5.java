package io.tarn.block;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** MD5 helpers: fresh digests, hex, and the S3 rule for multipart ETags. */
public final class Md5 {
    private static final HexFormat HEX = HexFormat.of();

    private Md5() {}

    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no MD5", e);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    /** MD5 hex of a byte array (small inputs only: metadata, test data). */
    public static String hexOf(byte[] data) {
        return hex(newDigest().digest(data));
    }

    /**
     * The ETag S3 gives a multipart object: the MD5 of the concatenated binary MD5s of its parts,
     * in hex, followed by {@code -} and the number of parts.
     *
     * @param partMd5Hex the parts' MD5s in hex, in part order
     */
    public static String multipartEtag(List<String> partMd5Hex) {
        MessageDigest md = newDigest();
        for (String part : partMd5Hex) {
            md.update(HEX.parseHex(stripQuotes(part)));
        }
        return hex(md.digest()) + "-" + partMd5Hex.size();
    }

    /** Removes the double quotes S3 puts around ETags. */
    public static String stripQuotes(String etag) {
        if (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            return etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
