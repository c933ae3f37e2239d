package io.tarn.engine.codec;

import io.tarn.engine.model.Repository;

/**
 * Binary form of a {@link Repository} (its id is the key it is stored under). Version 2 adds the
 * incarnation; a version 1 record (written before incarnations) gets {@code "v1:<creation date>"}.
 */
public final class RepositoryCodec {
    private RepositoryCodec() {}

    public static byte[] encode(Repository r) {
        return new BinaryWriter(128).writeByte(2).writeString(r.storageNamespace())
                .writeString(r.defaultBranch()).writeSignedVarLong(r.creationDate())
                .writeString(r.incarnation()).toByteArray();
    }

    public static Repository decode(String id, byte[] b) {
        BinaryReader r = new BinaryReader(b);
        int version = r.readByte();
        if (version != 1 && version != 2) {
            throw new CorruptDataException("unknown repository encoding version " + version);
        }
        String ns = r.readString();
        String branch = r.readString();
        long created = r.readSignedVarLong();
        String incarnation = version == 2 ? r.readString() : "v1:" + created;
        return new Repository(id, ns, branch, created, incarnation);
    }
}
