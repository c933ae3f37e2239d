package io.tarn.engine;

import io.tarn.engine.codec.Bytes;
import io.tarn.engine.tree.Peeking;
import io.tarn.engine.tree.Record;
import io.tarn.engine.tree.TreeCursor;
import io.tarn.util.LookAheadIterator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The changes that make some key prefixes of a tree hold exactly the given entries: every entry given
 * (a put), and a removal for every key of the tree under one of the prefixes that is not given. Both
 * inputs are sorted, and so is the output; nothing is held but the current key of each.
 */
final class PrefixReplacement extends LookAheadIterator<Record> {
    private final Peeking<Record> given;
    private final TreeCursor tree;
    private final List<byte[]> prefixes;
    private int prefix = -1;

    /**
     * @param given    the new entries, sorted by key
     * @param tree     a cursor over the tree the changes apply to
     * @param prefixes the key prefixes to replace (an empty one replaces the whole tree)
     */
    PrefixReplacement(Iterator<Record> given, TreeCursor tree, List<byte[]> prefixes) {
        this.given = new Peeking<>(given);
        this.tree = tree;
        this.prefixes = disjoint(prefixes);
        nextPrefix();
    }

    /** Sorted, without a prefix that a shorter one already covers. */
    private static List<byte[]> disjoint(List<byte[]> prefixes) {
        List<byte[]> sorted = new ArrayList<>(prefixes);
        sorted.sort(Bytes::compare);
        List<byte[]> out = new ArrayList<>();
        for (byte[] p : sorted) {
            if (out.isEmpty() || !startsWith(p, out.get(out.size() - 1))) {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    private void nextPrefix() {
        prefix++;
        if (prefix < prefixes.size()) {
            tree.seek(prefixes.get(prefix));
        }
    }

    /** The next key of the tree under the current prefix (moving on to the next prefixes), or null. */
    private byte[] treeKey() {
        while (prefix < prefixes.size()) {
            if (tree.hasNext() && startsWith(tree.peekKey(), prefixes.get(prefix))) {
                return tree.peekKey();
            }
            nextPrefix();
        }
        return null;
    }

    @Override
    protected Record computeNext() {
        byte[] old = treeKey();
        if (!given.hasNext()) {
            if (old == null) {
                return null;
            }
            tree.advance();
            return new Record(old, null);
        }
        Record put = given.peek();
        int order = old == null ? 1 : Bytes.compare(old, put.key());
        if (order < 0) { // in the tree, under a prefix, not given: removed
            tree.advance();
            return new Record(old, null);
        }
        if (order == 0) {
            tree.advance();
        }
        return given.next();
    }
}
