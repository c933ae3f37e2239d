package io.tarn.engine.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tarn.engine.model.Commit;
import io.tarn.engine.model.ContentChecksum;
import io.tarn.engine.model.ObjectEntry;
import io.tarn.engine.refs.BranchRecord;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CodecTest {

    static ObjectEntry entry(String address, long mtime, Map<String, String> md) {
        return new ObjectEntry("dir/é/😀.txt", address, 12345678901L, "d41d8cd98f00b204e9800998ecf8427e", mtime,
                "text/plain; charset=utf-8", md);
    }

    @Test
    void entryRoundTrips() {
        ObjectEntry e = entry("data/p/1", -5, Map.of("a", "1", "ü", "ß"));
        assertThat(EntryCodec.decode(e.path(), EntryCodec.encode(e))).isEqualTo(e);
        ObjectEntry noType = new ObjectEntry("x", "data/p/2", 0, "", 0, null, null);
        assertThat(EntryCodec.decode("x", EntryCodec.encode(noType))).isEqualTo(noType);
    }

    @Test
    void identityIgnoresAddressAndMtimeButNotTheRest() {
        Map<String, String> md1 = new LinkedHashMap<>();
        md1.put("a", "1");
        md1.put("b", "2");
        Map<String, String> md2 = new LinkedHashMap<>();
        md2.put("b", "2");
        md2.put("a", "1");
        byte[] a = EntryCodec.encode(entry("data/p/1", 1, md1));
        byte[] b = EntryCodec.encode(entry("data/p/2", 2, md2));
        assertThat(EntryCodec.sameIdentity(a, b)).isTrue();
        assertThat(EntryCodec.sameIdentity(a, EntryCodec.encode(entry("data/p/1", 1, Map.of("a", "1"))))).isFalse();
        ObjectEntry other = new ObjectEntry("p", "data/p/1", 1, "d41d8cd98f00b204e9800998ecf8427e", 1, null, Map.of());
        ObjectEntry typed = new ObjectEntry("p", "data/p/1", 1, "d41d8cd98f00b204e9800998ecf8427e", 1, "", Map.of());
        assertThat(EntryCodec.sameIdentity(EntryCodec.encode(other), EntryCodec.encode(typed))).isFalse();
        assertThat(EntryCodec.sameIdentity(null, null)).isTrue();
        assertThat(EntryCodec.sameIdentity(a, null)).isFalse();
        // the byte comparison agrees with the model's definition
        assertThat(entry("x", 1, md1).sameIdentity(entry("y", 2, md2))).isTrue();
    }

    @Test
    void commitRoundTripsAndItsIdDependsOnItsContent() {
        Commit c = CommitCodec.create(List.of("p1", "p2"), "ann", "msg", 1_700_000_000L, Map.of("k", "v"), "tree", 7);
        assertThat(c.id()).matches("[0-9a-f]{64}");
        assertThat(CommitCodec.decode(c.id(), CommitCodec.encode(c))).isEqualTo(c);
        assertThat(CommitCodec.create(List.of("p1", "p2"), "ann", "msg", 1_700_000_000L, Map.of("k", "v"), "tree", 7).id())
                .isEqualTo(c.id());
        assertThat(CommitCodec.create(List.of("p2", "p1"), "ann", "msg", 1_700_000_000L, Map.of("k", "v"), "tree", 7).id())
                .isNotEqualTo(c.id());
        assertThat(CommitCodec.create(List.of("p1", "p2"), "ann", "msg", 1_700_000_001L, Map.of("k", "v"), "tree", 7).id())
                .isNotEqualTo(c.id());
        assertThat(CommitCodec.create(List.of("p1", "p2"), "ann", "msg", 1_700_000_000L, Map.of("k", "w"), "tree", 7).id())
                .isNotEqualTo(c.id());
        assertThat(CommitCodec.create(List.of("p1", "p2"), "ann", "msg", 1_700_000_000L, Map.of("k", "v"), "tre2", 7).id())
                .isNotEqualTo(c.id());
    }

    @Test
    void branchRecordRoundTrips() {
        BranchRecord r = new BranchRecord("c", "t3", List.of("t2", "t1"));
        assertThat(BranchRecord.decode(r.encode())).isEqualTo(r);
        assertThat(r.readTokens()).containsExactly("t3", "t2", "t1");
    }

    @Test
    void aClientsChecksumRoundTripsOutsideTheIdentity() {
        ObjectEntry plain = entry("data/p/1", 7, Map.of("a", "1"));
        ObjectEntry withCrc = plain.withContentChecksum(
                new ContentChecksum(ContentChecksum.Algorithm.CRC32, "NSRBwg==", ContentChecksum.Type.FULL_OBJECT));
        ObjectEntry composite = plain.withContentChecksum(
                new ContentChecksum(ContentChecksum.Algorithm.SHA256, "n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=-3",
                        ContentChecksum.Type.COMPOSITE));
        assertThat(EntryCodec.decode(plain.path(), EntryCodec.encode(withCrc))).isEqualTo(withCrc);
        assertThat(EntryCodec.decode(plain.path(), EntryCodec.encode(composite))).isEqualTo(composite);
        // the checksum describes the same bytes: it is no part of the identity (like the address)
        assertThat(EntryCodec.sameIdentity(EntryCodec.encode(plain), EntryCodec.encode(withCrc))).isTrue();
        assertThat(EntryCodec.sameIdentity(EntryCodec.encode(withCrc), EntryCodec.encode(composite))).isTrue();
        // an entry without one is written as version 1, as every entry was before checksums were kept
        assertThat(EntryCodec.encode(plain)[0]).isEqualTo((byte) 1);
        assertThat(EntryCodec.encode(withCrc)[0]).isEqualTo((byte) 2);
    }

    @Test
    void aVersionOneEntryWrittenBeforeChecksumsIsStillRead() {
        // the bytes of a version 1 entry as the codec wrote them before version 2 existed
        BinaryWriter ident = new BinaryWriter();
        ident.writeVarLong(3).writeString("900150983cd24fb0d6963f7d28e17f72").writeNullableString("text/plain")
                .writeMap(Map.of("k", "v"));
        BinaryWriter w = new BinaryWriter();
        w.writeByte(1).writeBytes(ident.toByteArray()).writeString("data/old/1").writeSignedVarLong(1_600_000_000_000L);
        ObjectEntry e = EntryCodec.decode("old.txt", w.toByteArray());
        assertThat(e).isEqualTo(new ObjectEntry("old.txt", "data/old/1", 3, "900150983cd24fb0d6963f7d28e17f72",
                1_600_000_000_000L, "text/plain", Map.of("k", "v")));
        assertThat(e.contentChecksum()).isNull();
    }

    @Test
    void anUnknownChecksumIsCorruptData() {
        byte[] v2 = EntryCodec.encode(entry("a", 1, Map.of()).withContentChecksum(
                new ContentChecksum(ContentChecksum.Algorithm.CRC32C, "AAAAAA==", ContentChecksum.Type.FULL_OBJECT)));
        String text = new String(v2, java.nio.charset.StandardCharsets.ISO_8859_1).replace("CRC32C", "CRC99C");
        assertThatThrownBy(() -> EntryCodec.decode("p", text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)))
                .isInstanceOf(CorruptDataException.class);
    }

    @Test
    void corruptDataIsReportedNotMisread() {
        byte[] e = EntryCodec.encode(entry("a", 1, Map.of()));
        assertThatThrownBy(() -> EntryCodec.decode("p", java.util.Arrays.copyOf(e, e.length / 2)))
                .isInstanceOf(CorruptDataException.class);
        assertThatThrownBy(() -> EntryCodec.decode("p", new byte[] {9})).isInstanceOf(CorruptDataException.class);
    }

    @Test
    void bytesHelpers() {
        assertThat(Bytes.prefixEnd(new byte[] {1, (byte) 0xFF})).containsExactly(2);
        assertThat(Bytes.prefixEnd(new byte[] {(byte) 0xFF})).isNull();
        assertThat(Bytes.UTF8_ORDER.compare("\uFFFF", "😀")).isNegative();
        assertThat("\uFFFF".compareTo("😀")).isPositive();
    }
}
