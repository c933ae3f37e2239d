package io.tarn.engine.codec;

import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.ObjectEntry;
import java.util.Arrays;

/**
 * Binary form of an {@link ObjectEntry} without its path (the path is the key it is stored under).
 *
 * <p>Layout: version byte, then a length-prefixed <em>identity</em> block (size, checksum, content type,
 * metadata in key order), then the physical address and the mtime. Because the identity block is
 * canonical, two encoded entries have the same identity exactly when their identity blocks are equal
 * byte for byte, so diff, merge and commit compare identities without decoding.
 *
 * <p>Version 1 ends there. Version 2, written only for an entry with a client's checksum, adds the
 * checksum's algorithm, type and value (as S3 names them) after the mtime; an entry without one is
 * still written as version 1, byte for byte as before, and both versions are read.
 */
public final class EntryCodec {
    private EntryCodec() {}

    static final int VERSION = 1;
    static final int VERSION_WITH_CHECKSUM = 2;

    public static byte[] encode(ObjectEntry e) {
        BinaryWriter ident = new BinaryWriter(48 + e.checksum().length());
        ident.writeVarLong(e.size());
        ident.writeString(e.checksum());
        ident.writeNullableString(e.contentType());
        ident.writeMap(e.metadata());
        BinaryWriter w = new BinaryWriter(ident.length() + 48 + e.physicalAddress().length());
        ContentChecksum c = e.contentChecksum();
        w.writeByte(c == null ? VERSION : VERSION_WITH_CHECKSUM);
        byte[] id = ident.toByteArray();
        w.writeBytes(id);
        w.writeString(e.physicalAddress());
        w.writeSignedVarLong(e.mtime());
        if (c != null) {
            w.writeString(c.algorithm().name());
            w.writeString(c.type().name());
            w.writeString(c.value());
        }
        return w.toByteArray();
    }

    public static ObjectEntry decode(String path, byte[] value) {
        BinaryReader r = new BinaryReader(value);
        int version = r.readByte();
        if (version != VERSION && version != VERSION_WITH_CHECKSUM) {
            throw new CorruptDataException("unknown entry encoding version " + version);
        }
        r.readLength();
        long size = r.readVarLong();
        String checksum = r.readString();
        String contentType = r.readNullableString();
        var metadata = r.readMap();
        String address = r.readString();
        long mtime = r.readSignedVarLong();
        ContentChecksum contentChecksum = version == VERSION_WITH_CHECKSUM ? readChecksum(r) : null;
        return new ObjectEntry(path, address, size, checksum, mtime, contentType, metadata, contentChecksum);
    }

    private static ContentChecksum readChecksum(BinaryReader r) {
        String algorithm = r.readString();
        String type = r.readString();
        String value = r.readString();
        ContentChecksum.Algorithm a = ContentChecksum.Algorithm.of(algorithm);
        ContentChecksum.Type t;
        try {
            t = ContentChecksum.Type.valueOf(type);
        } catch (IllegalArgumentException e) {
            t = null;
        }
        if (a == null || t == null || value.isEmpty()) {
            throw new CorruptDataException("unknown content checksum " + algorithm + "/" + type);
        }
        return new ContentChecksum(a, value, t);
    }

    /** Whether two encoded entries (either may be {@code null}, meaning absent) are the same entry. */
    public static boolean sameIdentity(byte[] a, byte[] b) {
        if (a == null || b == null) {
            return a == b;
        }
        if (a == b) {
            return true;
        }
        int[] sa = identitySlice(a);
        int[] sb = identitySlice(b);
        return Arrays.equals(a, sa[0], sa[0] + sa[1], b, sb[0], sb[0] + sb[1]);
    }

    /** {offset, length} of the identity block. */
    private static int[] identitySlice(byte[] v) {
        BinaryReader r = new BinaryReader(v);
        r.readByte();
        int n = r.readLength();
        return new int[] {r.position(), n};
    }
}
