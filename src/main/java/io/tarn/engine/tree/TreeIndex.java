package io.tarn.engine.tree;

import io.tarn.engine.codec.BinaryReader;
import io.tarn.engine.codec.BinaryWriter;
import io.tarn.engine.codec.Bytes;
import io.tarn.engine.codec.CommitCodec;
import io.tarn.engine.codec.CorruptDataException;
import java.util.ArrayList;
import java.util.List;

/** The small index of a committed tree: its ranges in key order. */
public record TreeIndex(List<RangeRef> ranges) {

    public static final TreeIndex EMPTY = new TreeIndex(List.of());
    /** The id of the tree without entries. */
    public static final String EMPTY_ID = CommitCodec.sha256Hex(EMPTY.encode());

    public TreeIndex {
        ranges = List.copyOf(ranges);
    }

    public String id() {
        return ranges.isEmpty() ? EMPTY_ID : CommitCodec.sha256Hex(encode());
    }

    public long entryCount() {
        long n = 0;
        for (RangeRef r : ranges) {
            n += r.count();
        }
        return n;
    }

    /** Index of the first range whose last key is {@code >= key} ({@code ranges().size()} if none). */
    public int findRange(byte[] key) {
        int lo = 0;
        int hi = ranges.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Bytes.compare(ranges.get(mid).maxKey(), key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public byte[] encode() {
        BinaryWriter w = new BinaryWriter(64 + ranges.size() * 128);
        w.writeByte(1);
        w.writeVarLong(ranges.size());
        for (RangeRef r : ranges) {
            w.writeString(r.id());
            w.writeBytes(r.minKey());
            w.writeBytes(r.maxKey());
            w.writeVarLong(r.count());
            w.writeVarLong(r.bytes());
        }
        return w.toByteArray();
    }

    public static TreeIndex decode(byte[] b) {
        BinaryReader r = new BinaryReader(b);
        int version = r.readByte();
        if (version != 1) {
            throw new CorruptDataException("unknown tree index version " + version);
        }
        int n = (int) r.readVarLong();
        List<RangeRef> refs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            refs.add(new RangeRef(r.readString(), r.readBytes(), r.readBytes(), r.readVarLong(), r.readVarLong()));
        }
        return new TreeIndex(refs);
    }
}
