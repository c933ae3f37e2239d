package io.tarn.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/** A growable byte buffer with compact encodings: unsigned varints, length-prefixed strings and maps. */
public final class BinaryWriter {
    private byte[] buf;
    private int len;

    public BinaryWriter() {
        this(64);
    }

    public BinaryWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    public BinaryWriter writeByte(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        return this;
    }

    public BinaryWriter writeVarLong(long v) {
        ensure(10);
        while ((v & ~0x7FL) != 0) {
            buf[len++] = (byte) ((v & 0x7F) | 0x80);
            v >>>= 7;
        }
        buf[len++] = (byte) v;
        return this;
    }

    /** Zig-zag encoded signed varint. */
    public BinaryWriter writeSignedVarLong(long v) {
        return writeVarLong((v << 1) ^ (v >> 63));
    }

    public BinaryWriter writeBytes(byte[] b) {
        writeVarLong(b.length);
        return writeRaw(b, 0, b.length);
    }

    public BinaryWriter writeRaw(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        return this;
    }

    public BinaryWriter writeString(String s) {
        return writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A string that may be {@code null}. */
    public BinaryWriter writeNullableString(String s) {
        if (s == null) {
            return writeByte(0);
        }
        writeByte(1);
        return writeString(s);
    }

    /** A string map in key order, so equal maps encode to equal bytes. */
    public BinaryWriter writeMap(Map<String, String> m) {
        if (m.isEmpty()) {
            return writeVarLong(0);
        }
        Map<String, String> sorted = m instanceof TreeMap<String, String> t && t.comparator() == null ? t : new TreeMap<>(m);
        writeVarLong(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            writeString(e.getKey());
            writeString(e.getValue());
        }
        return this;
    }

    public int length() {
        return len;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buf, len);
    }
}
