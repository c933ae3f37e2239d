package io.tarn.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** Access keys in lakeFS's format: {@code AKIAJ} + 14 characters of A-Z2-7 + {@code Q}, and 40-character secrets. */
public final class AccessKeys {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    private AccessKeys() {}

    public static String newAccessKeyId() {
        StringBuilder id = new StringBuilder(20).append("AKIAJ");
        for (int i = 0; i < 14; i++) {
            id.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return id.append('Q').toString();
    }

    /** Base64 of 30 random bytes: 40 characters. */
    public static String newSecretAccessKey() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Checks a given access key id: printable, no ':' (it separates id and secret in basic auth). */
    static void checkAccessKeyId(String id) {
        if (id == null || id.length() < 3 || id.length() > 128) {
            throw new io.tarn.error.InvalidArgumentException("access key id must be 3 to 128 characters");
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-'
                    || c == '.')) {
                throw new io.tarn.error.InvalidArgumentException(
                        "access key id may only hold letters, digits, '_', '-' and '.'");
            }
        }
    }

    static void checkSecret(String secret) {
        if (secret == null || secret.length() < 8 || secret.length() > 256) {
            throw new io.tarn.error.InvalidArgumentException("secret access key must be 8 to 256 characters");
        }
        for (int i = 0; i < secret.length(); i++) {
            char c = secret.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new io.tarn.error.InvalidArgumentException(
                        "secret access key may only hold printable ASCII characters without spaces");
            }
        }
    }
}
