package io.tarn.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The encoding of auth records in the metadata store: JSON values under UTF-8 keys. */
final class AuthRecords {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AuthRecords() {}

    static byte[] key(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] write(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T> T read(byte[] value, Class<T> type) {
        try {
            return JSON.readValue(value, type);
        } catch (IOException e) {
            throw new UncheckedIOException("corrupt auth record", e);
        }
    }
}
