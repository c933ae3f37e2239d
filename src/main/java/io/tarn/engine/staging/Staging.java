package io.tarn.engine.staging;

import io.tarn.engine.codec.Bytes;
import io.tarn.engine.refs.KeyLayout;
import io.tarn.engine.tree.Record;
import io.tarn.kv.KvEntry;
import io.tarn.kv.KvIterator;
import io.tarn.kv.KvStore;
import io.tarn.util.LookAheadIterator;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Staged (uncommitted) entries in the KV store under {@code stage/<token>/<path>} ({@link KeyLayout}). A value is an
 * encoded entry, or the single byte 0 for a tombstone (the path is removed).
 */
public final class Staging {

    private static final byte[] TOMBSTONE = {0};
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KvStore kv;

    public Staging(KvStore kv) {
        this.kv = kv;
    }

    /** A fresh staging token (128 random bits, hex). */
    public static String newToken() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Bytes.hex(b);
    }

    private static byte[] prefix(String token) {
        return KeyLayout.staged(token);
    }

    private static byte[] key(String token, byte[] path) {
        return KeyLayout.staged(token, path);
    }

    public static boolean isTombstone(byte[] value) {
        return value.length == 1 && value[0] == 0;
    }

    public void put(String token, byte[] path, byte[] encodedEntry) {
        kv.put(key(token, path), encodedEntry);
    }

    /** Stages several entries in one write of the KV store (one sync where writes are synced). */
    public void putAll(String token, List<Record> entries) {
        if (entries.isEmpty()) {
            return;
        }
        io.tarn.kv.KvBatch batch = new io.tarn.kv.KvBatch();
        for (Record e : entries) {
            batch.put(key(token, e.key()), e.value());
        }
        kv.write(batch);
    }

    public void putTombstone(String token, byte[] path) {
        kv.put(key(token, path), TOMBSTONE);
    }

    public void delete(String token, byte[] path) {
        kv.delete(key(token, path));
    }

    public void deletePrefix(String token, byte[] pathPrefix) {
        kv.deletePrefix(key(token, pathPrefix));
    }

    public void drop(String token) {
        kv.deletePrefix(prefix(token));
    }

    /** Whether the token holds any staged key. */
    public boolean hasAny(String token) {
        byte[] p = prefix(token);
        try (KvIterator it = kv.scan(p, p)) {
            return it.hasNext();
        }
    }

    /**
     * The staged value of {@code path} in the first token (newest first) that has one: a {@link Record}
     * whose value is {@code null} for a tombstone; {@code null} if no token stages the path.
     */
    public Record get(List<String> tokens, byte[] path) {
        for (String t : tokens) {
            var v = kv.get(key(t, path));
            if (v.isPresent()) {
                return new Record(path, isTombstone(v.get()) ? null : v.get());
            }
        }
        return null;
    }

    /**
     * A sorted stream over the staged entries of several tokens (newest first: the first token's value
     * wins for a path), starting at path {@code from} (inclusive; {@code null} = the start). Tombstones
     * come out as records with a {@code null} value. Must be closed.
     */
    public Scan scan(List<String> tokens, byte[] from) {
        return new Scan(tokens, from);
    }

    public final class Scan extends LookAheadIterator<Record> implements AutoCloseable {
        private final List<KvIterator> its = new ArrayList<>();
        private final KvEntry[] heads;
        private final int[] prefixLen;
        private final byte[][] paths;

        Scan(List<String> tokens, byte[] from) {
            heads = new KvEntry[tokens.size()];
            prefixLen = new int[tokens.size()];
            paths = new byte[tokens.size()][];
            try {
                for (int i = 0; i < tokens.size(); i++) {
                    byte[] p = prefix(tokens.get(i));
                    prefixLen[i] = p.length;
                    KvIterator it = kv.scan(p, from == null ? p : Bytes.concat(p, from));
                    its.add(it);
                    advance(i);
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private void advance(int i) {
            KvIterator it = its.get(i);
            heads[i] = it.hasNext() ? it.next() : null;
            if (heads[i] != null) {
                byte[] k = heads[i].key();
                paths[i] = Arrays.copyOfRange(k, prefixLen[i], k.length);
            } else {
                paths[i] = null;
            }
        }

        @Override
        protected Record computeNext() {
            byte[] min = null;
            int winner = -1;
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] == null) {
                    continue;
                }
                byte[] p = paths[i];
                if (min == null || Bytes.compare(p, min) < 0) {
                    min = p;
                    winner = i;
                }
            }
            if (winner < 0) {
                return null;
            }
            byte[] value = heads[winner].value();
            for (int i = 0; i < heads.length; i++) {
                if (heads[i] != null && (i == winner || Bytes.compare(paths[i], min) == 0)) {
                    advance(i);
                }
            }
            return new Record(min, isTombstone(value) ? null : value);
        }

        @Override
        public void close() {
            for (KvIterator it : its) {
                it.close();
            }
        }
    }
}
