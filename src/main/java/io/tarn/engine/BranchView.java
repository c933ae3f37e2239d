package io.tarn.engine;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.staging.Staging;
import io.tarn.engine.tree.CommittedTrees;
import io.tarn.engine.tree.Peeking;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeCursor;
import io.tarn.engine.tree.TreeIndex;
import java.util.List;

/**
 * A seekable sorted view of a ref's entries: a committed tree, overlaid with staged entries (staged
 * values win; tombstones hide). Seeking restarts the underlying scans at the key, so a listing can jump
 * over a whole common prefix.
 */
final class BranchView implements AutoCloseable {
    private final Staging staging;
    private final List<String> tokens;
    private final TreeCursor cursor;
    private Staging.Scan scan;
    private Peeking<Record> staged;
    private byte[] curKey;
    private byte[] curValue;
    private boolean curFromStaging;

    BranchView(CommittedTrees trees, Staging staging, StorageNamespace ns, TreeIndex tree, List<String> tokens) {
        this.staging = staging;
        this.tokens = tokens;
        this.cursor = trees.cursor(ns, tree);
    }

    void seek(byte[] key) {
        cursor.seek(key);
        if (!tokens.isEmpty()) {
            if (scan != null) {
                scan.close();
            }
            scan = staging.scan(tokens, key);
            staged = new Peeking<>(scan);
        }
        curKey = null;
        settle();
    }

    private void settle() {
        while (true) {
            boolean hasStaged = staged != null && staged.hasNext();
            boolean hasTree = cursor.hasNext();
            if (!hasStaged && !hasTree) {
                curKey = null;
                return;
            }
            int c = !hasStaged ? 1 : !hasTree ? -1 : Bytes.compare(staged.peek().key(), cursor.peekKey());
            if (c <= 0) {
                if (c == 0) {
                    cursor.advance();
                }
                Record r = staged.peek();
                if (r.value() == null) {
                    staged.next();
                    continue;
                }
                curKey = r.key();
                curValue = r.value();
                curFromStaging = true;
                return;
            }
            curKey = cursor.peekKey();
            curValue = cursor.peekValue();
            curFromStaging = false;
            return;
        }
    }

    boolean hasNext() {
        return curKey != null;
    }

    byte[] key() {
        return curKey;
    }

    byte[] value() {
        return curValue;
    }

    void advance() {
        if (curFromStaging) {
            staged.next();
        } else {
            cursor.advance();
        }
        settle();
    }

    @Override
    public void close() {
        if (scan != null) {
            scan.close();
        }
    }
}
