package io.tarn.engine.refs;

import io.tarn.engine.codec.BinaryReader;
import io.tarn.engine.codec.BinaryWriter;
import io.tarn.engine.codec.CorruptDataException;
import java.util.ArrayList;
import java.util.List;

/**
 * What the KV store holds for a branch: its head commit, the staging token new writes go to, and the
 * sealed tokens (newest first) that a commit in progress is turning into a commit.
 */
public record BranchRecord(String commitId, String stagingToken, List<String> sealedTokens) {

    public BranchRecord {
        sealedTokens = List.copyOf(sealedTokens);
    }

    /** Current token first, then sealed tokens newest first: the order in which staged values win. */
    public List<String> readTokens() {
        List<String> all = new ArrayList<>(1 + sealedTokens.size());
        all.add(stagingToken);
        all.addAll(sealedTokens);
        return all;
    }

    public byte[] encode() {
        BinaryWriter w = new BinaryWriter(128).writeByte(1).writeString(commitId).writeString(stagingToken)
                .writeVarLong(sealedTokens.size());
        for (String t : sealedTokens) {
            w.writeString(t);
        }
        return w.toByteArray();
    }

    public static BranchRecord decode(byte[] b) {
        BinaryReader r = new BinaryReader(b);
        int version = r.readByte();
        if (version != 1) {
            throw new CorruptDataException("unknown branch encoding version " + version);
        }
        String commit = r.readString();
        String token = r.readString();
        int n = (int) r.readVarLong();
        List<String> sealed = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sealed.add(r.readString());
        }
        return new BranchRecord(commit, token, sealed);
    }
}
