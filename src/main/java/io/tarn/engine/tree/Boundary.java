package io.tarn.engine.tree;

/**
 * Content-defined range boundaries: a range ends after a key whose hash has its low bits all zero
 * (on average every {@code targetEntries} keys), or when it reaches a size cap. Because the rule
 * depends only on the keys, unchanged stretches of a tree cut into the same ranges in every commit.
 */
public record Boundary(int targetEntries, int maxEntries, long maxBytes) {

    public Boundary {
        if (targetEntries < 2 || Integer.bitCount(targetEntries) != 1) {
            throw new IllegalArgumentException("targetEntries must be a power of two >= 2");
        }
        if (maxEntries < targetEntries || maxBytes < 1) {
            throw new IllegalArgumentException("caps must be at least the target");
        }
    }

    public static Boundary defaults() {
        return new Boundary(1024, 64 * 1024, 8L << 20);
    }

    /** Whether the content rule ends a range after {@code key}. */
    public boolean isBoundaryKey(byte[] key) {
        return (hash(key) & (targetEntries - 1)) == 0;
    }

    /** Whether a range that now holds {@code entries} records of {@code bytes} bytes must be closed. */
    public boolean isFull(int entries, long bytes) {
        return entries >= maxEntries || bytes >= maxBytes;
    }

    /** FNV-1a 64 followed by a 64-bit finaliser, so the low bits are well mixed. */
    static long hash(byte[] key) {
        long h = 0xcbf29ce484222325L;
        for (byte b : key) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
