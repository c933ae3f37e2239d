package io.tarn.api.s3.sig;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The UTF-8 bytes of a text being put together to be hashed or signed (a canonical request, a string to
 * sign): appended as bytes from the start, so a signature check hashes them where they were written,
 * without a {@code StringBuilder}, its {@code String} and that string's bytes in between.
 */
final class SigningText {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private byte[] bytes;
    private int length;

    SigningText(int capacity) {
        bytes = new byte[Math.max(16, capacity)];
    }

    /** Appends {@code text} as UTF-8. */
    SigningText append(String text) {
        int n = text.length();
        room(n);
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) {
                return appendBytes(text.substring(i).getBytes(StandardCharsets.UTF_8));
            }
            bytes[length++] = (byte) c;
        }
        return this;
    }

    /** Appends one character below 128. */
    SigningText append(char ascii) {
        if (ascii >= 0x80) {
            throw new IllegalArgumentException("not an ASCII character: " + (int) ascii);
        }
        room(1);
        bytes[length++] = (byte) ascii;
        return this;
    }

    /** Appends lower-case hex of {@code data}. */
    SigningText appendHex(byte[] data) {
        room(data.length * 2);
        for (byte b : data) {
            bytes[length++] = HEX[(b >> 4) & 0xf];
            bytes[length++] = HEX[b & 0xf];
        }
        return this;
    }

    SigningText appendBytes(byte[] data) {
        room(data.length);
        System.arraycopy(data, 0, bytes, length, data.length);
        length += data.length;
        return this;
    }

    /** The bytes so far: {@link #length()} of them are the text. */
    byte[] array() {
        return bytes;
    }

    int length() {
        return length;
    }

    @Override
    public String toString() {
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }
}
