package io.tarn.api.s3.sig;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-256, HMAC and hex, as AWS signatures use them. */
final class Hashing {
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    /**
     * Fresh instances are cloned from these (a provider lookup per {@code getInstance} cost more than
     * hashing a canonical request); they are never used themselves.
     */
    private static final MessageDigest SHA256 = newSha256();
    private static final Mac HMAC_SHA256 = newMac("HmacSHA256");

    private Hashing() {}

    static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required", e);
        }
    }

    private static Mac newMac(String algorithm) {
        try {
            return Mac.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required", e);
        }
    }

    static byte[] sha256(byte[] data) {
        return sha256().digest(data);
    }

    /** The SHA-256 of {@code data[0, length)}. */
    static byte[] sha256(byte[] data, int length) {
        MessageDigest digest = sha256();
        digest.update(data, 0, length);
        return digest.digest();
    }

    static String sha256Hex(String text) {
        return hex(sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] hmac(String algorithm, byte[] key, String data) {
        return hmac(newMac(algorithm), algorithm, key, data);
    }

    static byte[] hmacSha256(byte[] key, String data) {
        Mac mac;
        try {
            mac = (Mac) HMAC_SHA256.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac("HmacSHA256");
        }
        return hmac(mac, "HmacSHA256", key, data);
    }

    /**
     * An HMAC-SHA256 keyed with {@code key}, to be {@link #hmacSha256(Mac, byte[], int) cloned} for each
     * message: a clone starts from the key already worked in, where a fresh instance would be initialized
     * again. It is never used itself, so threads may share it.
     */
    static Mac keyedHmacSha256(byte[] key) {
        Mac mac;
        try {
            mac = (Mac) HMAC_SHA256.clone();
        } catch (CloneNotSupportedException e) {
            mac = newMac("HmacSHA256");
        }
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required", e);
        }
        return mac;
    }

    /** The HMAC of {@code data[0, length)} with the key of {@code keyed}, which stays as it is. */
    static byte[] hmacSha256(Mac keyed, byte[] data, int length) {
        try {
            Mac mac = (Mac) keyed.clone();
            mac.update(data, 0, length);
            return mac.doFinal();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 must be cloneable", e);
        }
    }

    /** The bytes of a hex text (either case), or null if it is not hex of whole bytes. */
    static byte[] unhex(String text) {
        if (text == null || (text.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[text.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(text.charAt(2 * i), 16);
            int lo = Character.digit(text.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    private static byte[] hmac(Mac mac, String algorithm, byte[] key, String data) {
        try {
            mac.init(new SecretKeySpec(key, algorithm));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is required", e);
        }
    }

    static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = HEX[(bytes[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[bytes[i] & 0xf];
        }
        return new String(out);
    }

    /** Constant-time comparison of two signatures given as text. */
    static boolean same(String expected, String presented) {
        if (expected == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    static boolean isSha256Hex(String value) {
        if (value == null || value.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }
}
