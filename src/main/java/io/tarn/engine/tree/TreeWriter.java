package io.tarn.engine.tree;

import io.tarn.block.BlockBatch;
import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.EntryCodec;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Applies a sorted stream of changes to a base tree and writes the new tree.
 *
 * <p>Base ranges that no change falls into are reused by id without being opened. A touched range is
 * read, merged with its changes and re-cut with the content-defined rule; the writer then keeps
 * reading following base ranges only until its output ends exactly where a base range ends, and from
 * there reuses again. Cost grows with the number of touched ranges, not with the size of the tree.
 */
public final class TreeWriter {

    /** The written tree and how many keys actually changed (identical rewrites do not count). */
    public record Result(TreeIndex tree, String treeId, long changed) {}

    /** Ranges being written in the background per apply (bounds the memory a large commit holds). */
    private static final int MAX_IN_FLIGHT = 8;

    private final RangeStore ranges;
    private final TreeStore trees;
    private final Boundary boundary;
    private final ExecutorService workers;

    /**
     * @param workers runs range writes (hashing, SST file, upload) in parallel with the merge walk
     */
    public TreeWriter(RangeStore ranges, TreeStore trees, Boundary boundary, ExecutorService workers) {
        this.ranges = ranges;
        this.trees = trees;
        this.boundary = boundary;
        this.workers = workers;
    }

    /**
     * @param changes strictly increasing keys; a {@code null} value removes the key
     */
    public Result apply(StorageNamespace ns, TreeIndex base, Iterator<Record> changes) {
        Builder out = new Builder(ns, ranges.batch());
        try {
            return apply(base, changes, out);
        } catch (RuntimeException | Error e) {
            out.cancel();
            throw e;
        }
    }

    private Result apply(TreeIndex base, Iterator<Record> changes, Builder out) {
        StorageNamespace ns = out.ns;
        Peeking<Record> ch = new Peeking<>(changes);
        List<RangeRef> refs = base.ranges();
        long changed = 0;
        byte[] lastChangeKey = null;
        for (int i = 0; i < refs.size(); i++) {
            RangeRef r = refs.get(i);
            byte[] nextMin = i + 1 < refs.size() ? refs.get(i + 1).minKey() : null;
            boolean touched = ch.hasNext() && (nextMin == null || Bytes.compare(ch.peek().key(), nextMin) < 0);
            if (!touched && out.isEmpty()) {
                out.reuse(r);
                continue;
            }
            RangeData data = ranges.load(ns, r);
            int j = 0;
            int n = data.size();
            while (j < n || (ch.hasNext() && (nextMin == null || Bytes.compare(ch.peek().key(), nextMin) < 0))) {
                boolean haveChange = ch.hasNext() && (nextMin == null || Bytes.compare(ch.peek().key(), nextMin) < 0);
                int c = !haveChange ? 1 : j >= n ? -1 : Bytes.compare(ch.peek().key(), data.key(j));
                if (c < 0) {
                    Record change = ch.next();
                    lastChangeKey = checkOrder(lastChangeKey, change.key());
                    if (change.value() != null) {
                        out.add(change.key(), change.value());
                        changed++;
                    }
                } else if (c == 0) {
                    Record change = ch.next();
                    lastChangeKey = checkOrder(lastChangeKey, change.key());
                    if (change.value() == null) {
                        changed++;
                    } else if (EntryCodec.sameIdentity(change.value(), data.value(j))) {
                        out.add(data.key(j), data.value(j));
                    } else {
                        out.add(change.key(), change.value());
                        changed++;
                    }
                    j++;
                } else {
                    out.add(data.key(j), data.value(j));
                    j++;
                }
            }
        }
        while (ch.hasNext()) {
            Record change = ch.next();
            lastChangeKey = checkOrder(lastChangeKey, change.key());
            if (change.value() != null) {
                out.add(change.key(), change.value());
                changed++;
            }
        }
        out.flush();
        // the index needs only the ranges' ids (hashed first by each range's task): the tree file is
        // written while the last range files are still being written and synced
        TreeIndex tree = new TreeIndex(out.refs());
        String id = trees.write(ns, out.batch, tree);
        out.finish();
        // every range and the tree are published with their data on disk; one sync of their folders
        // makes the names durable before the caller stores a commit that refers to them
        out.batch.sync();
        return new Result(tree, id, changed);
    }

    private static byte[] checkOrder(byte[] last, byte[] key) {
        if (last != null && Bytes.compare(last, key) >= 0) {
            throw new IllegalArgumentException("changes are not in strictly increasing key order");
        }
        return key;
    }

    /** Accumulates records into ranges cut by the boundary rule; new ranges are written in the background. */
    private final class Builder {
        private final StorageNamespace ns;
        private final BlockBatch batch;
        /** Each range's index entry, known once its task has hashed its records. */
        private final List<Future<RangeRef>> refs = new ArrayList<>();
        /** Each new range's write (its file published with its data on disk). */
        private final List<Future<?>> writes = new ArrayList<>();
        private final ArrayDeque<Future<?>> inFlight = new ArrayDeque<>();
        private byte[][] keys = new byte[256][];
        private byte[][] values = new byte[256][];
        private int count;
        private long bytes;

        Builder(StorageNamespace ns, BlockBatch batch) {
            this.ns = ns;
            this.batch = batch;
        }

        boolean isEmpty() {
            return count == 0;
        }

        void reuse(RangeRef r) {
            refs.add(CompletableFuture.completedFuture(r));
        }

        void add(byte[] key, byte[] value) {
            if (count == keys.length) {
                keys = Arrays.copyOf(keys, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            keys[count] = key;
            values[count] = value;
            count++;
            bytes += key.length + value.length;
            if (boundary.isBoundaryKey(key) || boundary.isFull(count, bytes)) {
                flush();
            }
        }

        void flush() {
            if (count == 0) {
                return;
            }
            byte[][] k = Arrays.copyOf(keys, count);
            byte[][] v = Arrays.copyOf(values, count);
            int n = count;
            long b = bytes;
            while (inFlight.size() >= MAX_IN_FLIGHT) {
                await(inFlight.removeFirst());
            }
            CompletableFuture<RangeRef> ref = new CompletableFuture<>();
            Future<?> f = workers.submit(() -> {
                RangeRef r;
                try {
                    r = new RangeRef(rangeId(k, v, n), k[0], k[n - 1], n, b);
                } catch (RuntimeException | Error e) {
                    ref.completeExceptionally(e);
                    throw e;
                }
                ref.complete(r);
                return ranges.write(ns, batch, r.id(), k, v, n, b);
            });
            refs.add(ref);
            writes.add(f);
            inFlight.addLast(f);
            count = 0;
            bytes = 0;
            Arrays.fill(keys, null);
            Arrays.fill(values, null);
        }

        /** The index entries of every range, in order (waits for the ranges still being hashed). */
        List<RangeRef> refs() {
            List<RangeRef> out = new ArrayList<>(refs.size());
            for (Future<RangeRef> f : refs) {
                out.add(await(f));
            }
            return out;
        }

        /** Waits until every range file is written; throws the first failure. */
        void finish() {
            for (Future<?> f : writes) {
                await(f);
            }
        }

        /** Cancels the range writes not started yet (after a failure: their files would be of no use). */
        void cancel() {
            writes.forEach(f -> f.cancel(false));
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing ranges", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("range write failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new IllegalStateException("range write cancelled", e);
        }
    }

    /** Content address of a range: SHA-256 over its length-prefixed keys and values. */
    static String rangeId(byte[][] keys, byte[][] values, int count) {
        MessageDigest sha = CommitCodec.sha256();
        byte[] len = new byte[4];
        for (int i = 0; i < count; i++) {
            digest(sha, len, keys[i]);
            digest(sha, len, values[i]);
        }
        return Bytes.hex(sha.digest());
    }

    private static void digest(MessageDigest sha, byte[] len, byte[] b) {
        int n = b.length;
        len[0] = (byte) (n >>> 24);
        len[1] = (byte) (n >>> 16);
        len[2] = (byte) (n >>> 8);
        len[3] = (byte) n;
        sha.update(len);
        sha.update(b);
    }
}
