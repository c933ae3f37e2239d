package io.tarn.engine.tree;

import io.tarn.block.StorageNamespace;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.EntryCodec;
import io.tarn.util.LookAheadIterator;
import java.util.List;

/**
 * The differences between two trees as a sorted stream. When both sides stand at the start of ranges
 * with the same id, both ranges are skipped without being read; a range is only opened when its keys
 * are needed to produce the next difference. Cost grows with the changed ranges.
 */
public final class TreeDiff extends LookAheadIterator<DiffRecord> {

    private final RangeStore store;
    private final StorageNamespace ns;
    private final byte[] after;
    private final Side before;
    private final Side afterSide;

    /**
     * @param afterKey only keys strictly greater than this are reported ({@code null} = all)
     */
    public TreeDiff(RangeStore store, StorageNamespace ns, TreeIndex beforeTree, TreeIndex afterTree, byte[] afterKey) {
        this.store = store;
        this.ns = ns;
        this.after = afterKey;
        this.before = new Side(beforeTree.ranges());
        this.afterSide = new Side(afterTree.ranges());
        if (afterKey != null) {
            before.skipTo(afterKey);
            afterSide.skipTo(afterKey);
        }
    }

    private final class Side {
        final List<RangeRef> refs;
        int ri;
        RangeData cur;
        int pos;

        Side(List<RangeRef> refs) {
            this.refs = refs;
        }

        /** Skip ranges entirely at or below {@code key}. */
        void skipTo(byte[] key) {
            while (ri < refs.size() && Bytes.compare(refs.get(ri).maxKey(), key) <= 0) {
                ri++;
            }
        }

        boolean atBoundary() {
            return cur == null;
        }

        /** The next key this side will produce, or null when exhausted. */
        byte[] peekKey() {
            if (cur != null) {
                return cur.key(pos);
            }
            return ri < refs.size() ? refs.get(ri).minKey() : null;
        }

        void load() {
            cur = store.load(ns, refs.get(ri));
            pos = after == null ? 0 : cur.ceil(Bytes.successor(after));
            if (pos >= cur.size()) {
                cur = null;
                ri++;
            }
        }

        byte[] value() {
            return cur.value(pos);
        }

        void advance() {
            pos++;
            if (pos >= cur.size()) {
                cur = null;
                ri++;
            }
        }
    }

    @Override
    protected DiffRecord computeNext() {
        while (true) {
            if (before.atBoundary() && afterSide.atBoundary() && before.ri < before.refs.size()
                    && afterSide.ri < afterSide.refs.size()
                    && before.refs.get(before.ri).id().equals(afterSide.refs.get(afterSide.ri).id())) {
                before.ri++;
                afterSide.ri++;
                continue;
            }
            byte[] kb = before.peekKey();
            byte[] ka = afterSide.peekKey();
            if (kb == null && ka == null) {
                return null;
            }
            int c = kb == null ? 1 : ka == null ? -1 : Bytes.compare(kb, ka);
            if (c <= 0 && before.atBoundary()) {
                before.load();
                continue;
            }
            if (c >= 0 && afterSide.atBoundary()) {
                afterSide.load();
                continue;
            }
            if (c < 0) {
                DiffRecord d = new DiffRecord(kb, before.value(), null);
                before.advance();
                return d;
            }
            if (c > 0) {
                DiffRecord d = new DiffRecord(ka, null, afterSide.value());
                afterSide.advance();
                return d;
            }
            byte[] vb = before.value();
            byte[] va = afterSide.value();
            before.advance();
            afterSide.advance();
            if (!EntryCodec.sameIdentity(vb, va)) {
                return new DiffRecord(kb, vb, va);
            }
        }
    }
}
