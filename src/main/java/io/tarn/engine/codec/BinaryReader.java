package io.tarn.engine.codec;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reads what {@link BinaryWriter} wrote. Malformed input raises {@link CorruptDataException}. */
public final class BinaryReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    public BinaryReader(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public BinaryReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    public int position() {
        return pos;
    }

    public boolean atEnd() {
        return pos >= end;
    }

    public int readByte() {
        if (pos >= end) {
            throw new CorruptDataException("unexpected end of data");
        }
        return buf[pos++] & 0xFF;
    }

    public long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new CorruptDataException("varint too long");
    }

    public long readSignedVarLong() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    public int readLength() {
        long n = readVarLong();
        if (n < 0 || n > end - pos) {
            throw new CorruptDataException("length out of bounds: " + n);
        }
        return (int) n;
    }

    public byte[] readBytes() {
        int n = readLength();
        byte[] r = new byte[n];
        System.arraycopy(buf, pos, r, 0, n);
        pos += n;
        return r;
    }

    /** Skips a length-prefixed field. */
    public void skipBytes() {
        pos += readLength();
    }

    public String readString() {
        int n = readLength();
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    public String readNullableString() {
        return readByte() == 0 ? null : readString();
    }

    public Map<String, String> readMap() {
        int n = (int) readVarLong();
        if (n == 0) {
            return Map.of();
        }
        if (n < 0 || n > end - pos) {
            throw new CorruptDataException("map size out of bounds: " + n);
        }
        Map<String, String> m = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            m.put(readString(), readString());
        }
        return m;
    }
}
