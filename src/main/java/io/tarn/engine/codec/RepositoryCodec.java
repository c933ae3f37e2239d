package io.tarn.engine.codec;

import io.tarn.engine.model.Repository;

/** Binary form of a {@link Repository} (its id is the key it is stored under). */
public final class RepositoryCodec {
    private RepositoryCodec() {}

    public static byte[] encode(Repository r) {
        return new BinaryWriter(96).writeByte(1).writeString(r.storageNamespace())
                .writeString(r.defaultBranch()).writeSignedVarLong(r.creationDate()).toByteArray();
    }

    public static Repository decode(String id, byte[] b) {
        BinaryReader r = new BinaryReader(b);
        int version = r.readByte();
        if (version != 1) {
            throw new CorruptDataException("unknown repository encoding version " + version);
        }
        return new Repository(id, r.readString(), r.readString(), r.readSignedVarLong());
    }
}
