package io.tarn.engine.codec;

import io.tarn.engine.model.Commit;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Binary form and content address of a {@link Commit}. */
public final class CommitCodec {
    private CommitCodec() {}

    static final int VERSION = 1;

    /**
     * The commit id: hex SHA-256 over a canonical encoding of parents, committer, message, metadata,
     * creation date and tree id.
     */
    public static String id(List<String> parents, String committer, String message, long creationDate,
                            Map<String, String> metadata, String treeId) {
        BinaryWriter w = new BinaryWriter(256);
        w.writeString("tarn-commit:v1");
        w.writeVarLong(parents.size());
        for (String p : parents) {
            w.writeString(p);
        }
        w.writeString(committer);
        w.writeString(message);
        w.writeSignedVarLong(creationDate);
        w.writeMap(metadata);
        w.writeString(treeId);
        return sha256Hex(w.toByteArray());
    }

    /** Builds a commit record with its id computed from its content. */
    public static Commit create(List<String> parents, String committer, String message, long creationDate,
                                Map<String, String> metadata, String treeId, long generation) {
        String c = committer == null ? "" : committer;
        String m = message == null ? "" : message;
        Map<String, String> md = metadata == null ? Map.of() : Map.copyOf(metadata);
        return new Commit(id(parents, c, m, creationDate, md, treeId), List.copyOf(parents), c, m,
                creationDate, md, treeId, generation);
    }

    public static byte[] encode(Commit c) {
        BinaryWriter w = new BinaryWriter(256);
        w.writeByte(VERSION);
        w.writeVarLong(c.parents().size());
        for (String p : c.parents()) {
            w.writeString(p);
        }
        w.writeString(c.committer());
        w.writeString(c.message());
        w.writeSignedVarLong(c.creationDate());
        w.writeMap(c.metadata());
        w.writeString(c.treeId());
        w.writeVarLong(c.generation());
        return w.toByteArray();
    }

    public static Commit decode(String id, byte[] b) {
        BinaryReader r = new BinaryReader(b);
        int version = r.readByte();
        if (version != VERSION) {
            throw new CorruptDataException("unknown commit encoding version " + version);
        }
        int n = (int) r.readVarLong();
        List<String> parents = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            parents.add(r.readString());
        }
        String committer = r.readString();
        String message = r.readString();
        long date = r.readSignedVarLong();
        Map<String, String> md = r.readMap();
        String tree = r.readString();
        long gen = r.readVarLong();
        return new Commit(id, List.copyOf(parents), committer, message, date, Map.copyOf(md), tree, gen);
    }

    public static String sha256Hex(byte[] data) {
        return Bytes.hex(sha256().digest(data));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
