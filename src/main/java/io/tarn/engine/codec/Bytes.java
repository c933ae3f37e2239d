package io.tarn.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;

/** Byte-string helpers. Keys are ordered as unsigned bytes everywhere in the engine. */
public final class Bytes {
    private Bytes() {}

    public static final byte[] EMPTY = new byte[0];

    /** Unsigned lexicographic order, the order of the KV store and of the range files. */
    public static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;

    /** Orders strings by their UTF-8 bytes (which differs from {@link String#compareTo} above U+FFFF). */
    public static final Comparator<String> UTF8_ORDER = (a, b) -> Arrays.compareUnsigned(utf8(a), utf8(b));

    public static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static String string(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static String string(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    public static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}, or {@code null} if there is
     * none (the prefix is all 0xFF bytes or empty).
     */
    public static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] r = Arrays.copyOf(prefix, i + 1);
                r[i]++;
                return r;
            }
        }
        return null;
    }

    /** The smallest key strictly greater than {@code key}. */
    public static byte[] successor(byte[] key) {
        return Arrays.copyOf(key, key.length + 1);
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    public static String hex(byte[] b) {
        char[] c = new char[b.length * 2];
        for (int i = 0; i < b.length; i++) {
            c[2 * i] = HEX[(b[i] >> 4) & 0xF];
            c[2 * i + 1] = HEX[b[i] & 0xF];
        }
        return new String(c);
    }
}
